// Pipelines move on step completions, not on the sweep: with PIPELINES_POLL_MS
// at ten minutes and the jobs service's WatchJob re-read at ten minutes too, a
// 5-step chain still runs to SUCCEEDED, driven only by the orchestrator's
// watches of its step jobs. Real gRPC servers, the worker SDK, on SQLite and
// PostgreSQL; on PostgreSQL the worker talks to a second jobs replica, so each
// completion reaches the pipelines service's watch through LISTEN/NOTIFY.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { call, eventually, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { pipelines, type Pipeline__Output } from "@platform/proto";
import { startJobsFixture, type JobsFixture } from "../../services/jobs/src/testing";
import { startPipelinesServer } from "../../services/pipelines/src/server";
import { createWorker, handleBuiltInKinds, type Worker } from "../../worker/src/index";

setDefaultTimeout(60_000);

/** Long enough that no sweep or re-read happens during a test. */
const NEVER_MS = 600_000;

describe.each(TEST_BACKENDS)("a pipeline driven by step completions on %s", (backend) => {
  let jobs: JobsFixture;
  /** The jobs replica the worker uses: another one on PostgreSQL. */
  let workerJobs: JobsFixture;
  let server: RunningGrpcServer;
  let client: grpc.Client;
  let db: Db;
  let worker: Worker;

  beforeAll(async () => {
    jobs = await startJobsFixture(backend, { JOBS_WATCH_POLL_MS: NEVER_MS });
    workerJobs =
      backend === "postgres" ? await startJobsFixture(backend, { JOBS_WATCH_POLL_MS: NEVER_MS }, jobs.url) : jobs;
    db = openDatabase("pipelines", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 8 });
    server = await startPipelinesServer(
      { ...TEST_SERVER_CONFIG, JOBS_SERVICE_URL: jobs.target, PIPELINES_POLL_MS: NEVER_MS },
      quietLogger(),
      db,
    );
    client = new pipelines.PipelinesService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    worker = handleBuiltInKinds(
      createWorker({ jobsServiceUrl: workerJobs.target, logger: quietLogger(), concurrency: 2 }),
    ).start();
  });
  afterAll(async () => {
    await worker.stop(1_000);
    client.close();
    await server.shutdown();
    await db.close();
    if (workerJobs !== jobs) await workerJobs.stop();
    await jobs.stop();
  });

  test("a 5-step chain runs to SUCCEEDED with no sweep", async () => {
    const steps = ["a", "b", "c", "d", "e"].map((name, i, names) => ({
      name,
      kind: "noop",
      depends_on: i === 0 ? [] : [names[i - 1]],
    }));
    const created = await call<object, Pipeline__Output>(client, "CreatePipeline", {
      pipeline_name: "chain",
      steps,
      owner: "tester",
    });
    const done = await eventually(
      async () => {
        const p = await call<object, Pipeline__Output>(client, "GetPipeline", { id: created.id, owner: "" });
        return p.status === "PIPELINE_STATUS_SUCCEEDED" ? p : undefined;
      },
      30_000,
      "the chain to succeed",
    );
    expect(done.steps.map((s) => s.status)).toEqual(Array(5).fill("STEP_STATUS_SUCCEEDED"));
    // Each step ran once, in order.
    const jobIds = done.steps.map((s) => Number(s.job_id));
    expect(jobIds).toEqual([...jobIds].sort((x, y) => x - y));
    expect(new Set(jobIds).size).toBe(5);
  });
});
