// Two pipelines replicas on one PostgreSQL, one jobs service and the reference
// worker. One replica is killed with SIGKILL in the middle of several
// pipelines; the other takes over their leases. Every pipeline still
// succeeds, every step's job is created exactly once and runs exactly once,
// and no pipeline's stored state ever goes backwards.
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { call, eventually } from "@platform/kit/testing";
import { createTestDatabaseUrl } from "@platform/kit/testing/db";
import {
  pipelines,
  jobs,
  type Job__Output,
  type ListJobsResponse__Output,
  type Pipeline__Output,
} from "@platform/proto";
import { SQL } from "bun";
import { isolatedServiceEnv, type RunningComponent, startService, startWorker } from "@platform/harness";

setDefaultTimeout(120_000);

const running: RunningComponent[] = [];
const clients: grpc.Client[] = [];
let sql: SQL | undefined;
afterAll(async () => {
  clients.forEach((c) => c.close());
  await sql?.close();
  await Promise.all(running.map((c) => c.stop("SIGKILL")));
});

interface StepInput {
  name: string;
  kind: string;
  payload: string;
  depends_on: string[];
}

const sleepStep = (name: string, depends_on: string[] = [], ms = 300): StepInput => ({
  name,
  kind: "sleep",
  payload: JSON.stringify({ ms }),
  depends_on,
});
const echoStep = (name: string, depends_on: string[] = []): StepInput => ({
  name,
  kind: "echo",
  payload: JSON.stringify({ name }),
  depends_on,
});
const chain = (): StepInput[] => [sleepStep("a"), sleepStep("b", ["a"]), echoStep("c", ["b"]), sleepStep("d", ["c"])];
const fanOut = (): StepInput[] => [
  echoStep("root"),
  sleepStep("x", ["root"]),
  sleepStep("y", ["root"]),
  sleepStep("z", ["root"]),
  echoStep("join", ["x", "y", "z"]),
];

// A step's status only moves forward: WAITING, then PENDING, RUNNING, SUCCEEDED.
const STEP_RANK: Record<string, number> = {
  WAITING: 0,
  PENDING: 1,
  RUNNING: 2,
  SUCCEEDED: 3,
  FAILED: 3,
  CANCELLED: 3,
  SKIPPED: 3,
};

test("a pipelines replica killed mid-pipeline: the other finishes every pipeline, every step runs exactly once", async () => {
  const databaseUrl = await createTestDatabaseUrl("postgres");
  const jobsService = await startService("jobs", isolatedServiceEnv({ JOBS_LEASE_SWEEP_MS: "200" }));
  running.push(jobsService);
  const jobsTarget = `127.0.0.1:${jobsService.port}`;
  const replicaEnv = isolatedServiceEnv({
    DATABASE_URL: databaseUrl,
    JOBS_SERVICE_URL: jobsTarget,
    PIPELINES_POLL_MS: "100",
    PIPELINES_LEASE_MS: "1500",
  });
  const replicas = [await startService("pipelines", replicaEnv), await startService("pipelines", replicaEnv)] as const;
  running.push(...replicas);
  const connect = (replica: RunningComponent) => {
    const client = new pipelines.PipelinesService(`127.0.0.1:${replica.port}`, grpc.credentials.createInsecure());
    clients.push(client);
    return client;
  };
  const [doomed, survivor] = [connect(replicas[0]), connect(replicas[1])];
  running.push(
    await startWorker("worker", {
      JOBS_SERVICE_URL: jobsTarget,
      WORKER_CONCURRENCY: "4",
      WORKER_LEASE_SECONDS: "60",
      WORKER_POLL_MS: "50",
      LOG_LEVEL: "warn",
    }),
  );

  // Half the pipelines are created through each replica: both reconcile from the start.
  const created: Pipeline__Output[] = [];
  for (let i = 0; i < 8; i++) {
    const steps = i % 2 ? fanOut() : chain();
    created.push(
      await call<object, Pipeline__Output>(i < 4 ? doomed : survivor, "CreatePipeline", {
        pipeline_name: `replicas-${i}`,
        steps,
        owner: "alice",
      }),
    );
  }
  const ids = created.map((p) => Number(p.id));
  const stepCount = created.reduce((n, p) => n + p.steps.length, 0);

  // Watch the stored state the whole time: versions and step statuses never go back.
  sql = new SQL(databaseUrl, { max: 2 });
  const seenVersion = new Map<number, number>();
  const seenStep = new Map<string, number>();
  const regressions: string[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const rows = (await sql!.unsafe(
        "SELECT p.id, p.version, s.name, s.status FROM pipelines p JOIN pipeline_steps s ON s.pipeline_id = p.id ORDER BY p.id",
      )) as { id: unknown; version: unknown; name: string; status: string }[];
      for (const row of rows) {
        const id = Number(row.id);
        const version = Number(row.version);
        if (version < (seenVersion.get(id) ?? 0))
          regressions.push(`pipeline ${id}: version ${seenVersion.get(id)} -> ${version}`);
        seenVersion.set(id, Math.max(version, seenVersion.get(id) ?? 0));
        const key = `${id}/${row.name}`;
        const rank = STEP_RANK[row.status]!;
        if (rank < (seenStep.get(key) ?? 0)) regressions.push(`step ${key}: went back to ${row.status}`);
        seenStep.set(key, Math.max(rank, seenStep.get(key) ?? 0));
      }
      await Bun.sleep(25);
    }
  })();

  // Mid-pipeline: some steps have finished, and no pipeline has.
  await eventually(
    async () => ([...seenStep.values()].filter((r) => r === 3).length >= 3 ? true : undefined),
    30_000,
    "the first steps to finish",
  );
  const finishedBefore = (await sql.unsafe("SELECT count(*) AS n FROM pipelines WHERE status = 'SUCCEEDED'")) as {
    n: unknown;
  }[];
  expect(Number(finishedBefore[0]!.n)).toBeLessThan(ids.length);
  replicas[0].process.kill("SIGKILL");
  await replicas[0].process.exited;

  // The survivor takes over the dead replica's leases once they expire, and finishes everything.
  const finished = await eventually(
    async () => {
      const all = await Promise.all(
        ids.map((id) => call<object, Pipeline__Output>(survivor, "GetPipeline", { id: String(id) })),
      );
      return all.every((p) => p.status === "PIPELINE_STATUS_SUCCEEDED") ? all : undefined;
    },
    60_000,
    "every pipeline to succeed",
  );
  watching = false;
  await watcher;
  expect(regressions).toEqual([]);
  for (const pipeline of finished) for (const step of pipeline.steps) expect(step.status).toBe("STEP_STATUS_SUCCEEDED");

  // Every step's job exists exactly once (one per idempotency key) and ran once.
  const jobsClient = new jobs.JobsService(jobsTarget, grpc.credentials.createInsecure());
  clients.push(jobsClient);
  const all: Job__Output[] = [];
  let token = "";
  do {
    const page = await call<object, ListJobsResponse__Output>(jobsClient, "ListJobs", {
      page_size: 500,
      page_token: token,
    });
    all.push(...page.jobs);
    token = page.next_page_token;
  } while (token);
  expect(all).toHaveLength(stepCount);
  const keys = new Set(all.map((j) => j.idempotency_key));
  expect(keys.size).toBe(stepCount);
  for (const pipeline of finished)
    for (const step of pipeline.steps) expect(keys.has(`pipeline-${pipeline.id}-step-${step.name}`)).toBe(true);
  for (const job of all)
    expect({ key: job.idempotency_key, status: job.status, attempts: job.attempts }).toEqual({
      key: job.idempotency_key,
      status: "JOB_STATUS_SUCCEEDED",
      attempts: 1,
    });
  // Each step's job is the one its pipeline recorded.
  const jobOfKey = new Map(all.map((j) => [j.idempotency_key, j.id]));
  for (const pipeline of finished)
    for (const step of pipeline.steps)
      expect(step.job_id).toBe(jobOfKey.get(`pipeline-${pipeline.id}-step-${step.name}`)!);
});
