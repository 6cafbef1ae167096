// Pipelines end to end, on SQLite files and on PostgreSQL: the whole system as
// real processes, the reference worker as a real process, everything through
// the gateway's HTTP API. A three-step pipeline succeeds, a failing step fails
// its pipeline, cancel stops one mid-run, and a pipelines service killed
// mid-pipeline picks it up again after a restart.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Api, type Pipeline, unwrap } from "@platform/client";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { type RunningComponent, type RunningSystem, startService, startSystem, startWorker } from "@platform/harness";
import { eventually } from "@platform/kit/testing";
import { clientFor, loginAs } from "../support/client";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

const FAST = {
  JOBS_RETRY_BACKOFF_MS: "50",
  JOBS_LEASE_SWEEP_MS: "200",
  JOBS_WATCH_POLL_MS: "200",
  PIPELINES_POLL_MS: "100",
};

describe.each(TEST_BACKENDS)("pipelines end to end on %s", (backend) => {
  let system: RunningSystem;
  let api: Api;
  let worker: RunningComponent | undefined;
  const extra: RunningComponent[] = [];
  let serviceEnv: Partial<Record<"users" | "jobs" | "pipelines", Record<string, string>>>;

  beforeAll(async () => {
    serviceEnv =
      backend === "postgres"
        ? {
            users: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
            jobs: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
            pipelines: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
          }
        : {};
    system = await startSystem({ env: FAST, serviceEnv });
    worker = await startWorker("worker", {
      JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
      WORKER_CONCURRENCY: "2",
      WORKER_LEASE_SECONDS: "3",
      WORKER_POLL_MS: "50",
      LOG_LEVEL: "warn",
    });
    api = clientFor(system.url, await loginAs(system.url));
  }, 60_000);
  afterAll(async () => {
    await worker?.stop("SIGKILL");
    await Promise.all(extra.map((c) => c.stop("SIGKILL")));
    await system?.stop();
  });

  const untilStatus = (id: number, status: string, timeoutMs?: number) =>
    eventually(
      // Not unwrapped: a 503 while the pipelines service restarts is one more try.
      async (): Promise<Pipeline | undefined> => {
        const { data } = await api.pipelines({ id }).get();
        return data?.status === status ? data : undefined;
      },
      timeoutMs ?? 30_000,
      `pipeline ${id} to be ${status}`,
    );

  test("a three-step pipeline runs to SUCCEEDED through the reference worker", async () => {
    const created = await api.pipelines.post({
      pipeline_name: "three steps",
      steps: [
        { name: "prepare", kind: "echo", payload: { rows: 3 } },
        { name: "train", kind: "sleep", payload: { ms: 200 }, depends_on: ["prepare"] },
        { name: "report", kind: "echo", payload: "done", depends_on: ["train"] },
      ],
    });
    expect(created.status).toBe(201);
    const done = await untilStatus(created.data!.id, "SUCCEEDED");
    expect(done.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const jobs = await Promise.all(done.steps.map((s) => unwrap(api.jobs({ id: s.job_id! }).get())));
    expect(jobs.map((j) => j.result)).toEqual([{ rows: 3 }, { slept_ms: 200 }, "done"]);
    // Each step started after the one it depends on finished.
    const at = (time: string | null) => Date.parse(time ?? "");
    expect(at(jobs[1]!.started_at)).toBeGreaterThanOrEqual(at(jobs[0]!.finished_at));
    expect(at(jobs[2]!.started_at)).toBeGreaterThanOrEqual(at(jobs[1]!.finished_at));
  });

  test("a failing step fails the pipeline after its retries; the step after it is SKIPPED", async () => {
    const created = await unwrap(
      api.pipelines.post({
        pipeline_name: "doomed",
        steps: [
          { name: "ok", kind: "echo" },
          { name: "broken", kind: "fail", payload: "disk on fire", depends_on: ["ok"] },
          { name: "never", kind: "echo", depends_on: ["broken"] },
        ],
      }),
    );
    const failed = await untilStatus(created.id, "FAILED");
    expect(failed.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "FAILED", "SKIPPED"]);
    expect(failed.steps[1]!.error).toBe("disk on fire");
    expect((await unwrap(api.jobs({ id: failed.steps[1]!.job_id! }).get())).attempts).toBe(3);
  });

  test("cancel stops a running pipeline: its running job is cancelled, the rest skipped", async () => {
    const { id } = await unwrap(
      api.pipelines.post({
        pipeline_name: "long",
        steps: [
          { name: "forever", kind: "sleep", payload: { ms: 600_000 } },
          { name: "after", kind: "echo", depends_on: ["forever"] },
        ],
      }),
    );
    await untilStatus(id, "RUNNING");
    const cancelled = await unwrap(api.pipelines({ id }).cancel.post());
    expect(cancelled.steps.map((s) => s.status)).toEqual(["CANCELLED", "SKIPPED"]);
    expect((await unwrap(api.jobs({ id: cancelled.steps[0]!.job_id! }).get())).status).toBe("CANCELLED");
    const again = await api.pipelines({ id }).cancel.post();
    expect(again.status).toBe(409);
    expect(again.error?.value).toMatchObject({ status: 409 });
  });

  test("the pipelines service killed mid-pipeline resumes it after a restart", async () => {
    const created = await unwrap(
      api.pipelines.post({
        pipeline_name: "survivor",
        steps: [
          { name: "one", kind: "sleep", payload: { ms: 1000 } },
          { name: "two", kind: "echo", payload: 2, depends_on: ["one"] },
          { name: "three", kind: "echo", payload: 3, depends_on: ["two"] },
        ],
      }),
    );
    await untilStatus(created.id, "RUNNING");
    const pipelines = system.services.pipelines;
    await pipelines.stop("SIGKILL");
    const restarted = await startService("pipelines", {
      ...system.env,
      ...serviceEnv.pipelines,
      PORT: String(pipelines.port),
      JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
    });
    extra.push(restarted);
    const done = await untilStatus(created.id, "SUCCEEDED");
    expect(done.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const listed = await unwrap(api.jobs.get({ query: { page_size: "500" } }));
    const names = listed.items.map((j) => j.job_name).filter((n) => n.startsWith("survivor:"));
    expect(names.sort()).toEqual(["survivor: one", "survivor: three", "survivor: two"]);
  }, 60_000);
});
