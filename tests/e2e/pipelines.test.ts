// Pipelines end to end, on SQLite files and on PostgreSQL: the whole system as
// real processes, the reference worker as a real process, everything through
// the gateway's HTTP API. A three-step pipeline succeeds, a failing step fails
// its pipeline, cancel stops one mid-run, and a pipelines service killed
// mid-pipeline picks it up again after a restart.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { type RunningComponent, type RunningSystem, startService, startSystem, startWorker } from "@platform/harness";
import { eventually } from "@platform/kit/testing";

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
  let token: string;
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
    const login = await fetch(`${system.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username":"admin","password":"secret"}',
    });
    token = ((await login.json()) as { access_token: string }).access_token;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop("SIGKILL");
    await Promise.all(extra.map((c) => c.stop("SIGKILL")));
    await system?.stop();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const untilStatus = (id: number, status: string, timeoutMs?: number) =>
    eventually(
      async () => {
        const { body } = await api("GET", `/pipelines/${id}`);
        return body.status === status ? body : undefined;
      },
      timeoutMs ?? 30_000,
      `pipeline ${id} to be ${status}`,
    );

  test("a three-step pipeline runs to SUCCEEDED through the reference worker", async () => {
    const created = await api("POST", "/pipelines/", {
      pipeline_name: "three steps",
      steps: [
        { name: "prepare", kind: "echo", payload: { rows: 3 } },
        { name: "train", kind: "sleep", payload: { ms: 200 }, depends_on: ["prepare"] },
        { name: "report", kind: "echo", payload: "done", depends_on: ["train"] },
      ],
    });
    expect(created.status).toBe(201);
    const done = await untilStatus(created.body.id, "SUCCEEDED");
    expect(done.steps.map((s: any) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const jobs = await Promise.all(done.steps.map((s: any) => api("GET", `/jobs/${s.job_id}`)));
    expect(jobs.map((j) => j.body.result)).toEqual([{ rows: 3 }, { slept_ms: 200 }, "done"]);
    // Each step started after the one it depends on finished.
    expect(Date.parse(jobs[1]!.body.started_at)).toBeGreaterThanOrEqual(Date.parse(jobs[0]!.body.finished_at));
    expect(Date.parse(jobs[2]!.body.started_at)).toBeGreaterThanOrEqual(Date.parse(jobs[1]!.body.finished_at));
  });

  test("a failing step fails the pipeline after its retries; the step after it is SKIPPED", async () => {
    const created = await api("POST", "/pipelines/", {
      pipeline_name: "doomed",
      steps: [
        { name: "ok", kind: "echo" },
        { name: "broken", kind: "fail", payload: "disk on fire", depends_on: ["ok"] },
        { name: "never", kind: "echo", depends_on: ["broken"] },
      ],
    });
    const failed = await untilStatus(created.body.id, "FAILED");
    expect(failed.steps.map((s: any) => s.status)).toEqual(["SUCCEEDED", "FAILED", "SKIPPED"]);
    expect(failed.steps[1].error).toBe("disk on fire");
    expect((await api("GET", `/jobs/${failed.steps[1].job_id}`)).body.attempts).toBe(3);
  });

  test("cancel stops a running pipeline: its running job is cancelled, the rest skipped", async () => {
    const created = await api("POST", "/pipelines/", {
      pipeline_name: "long",
      steps: [
        { name: "forever", kind: "sleep", payload: { ms: 600_000 } },
        { name: "after", kind: "echo", depends_on: ["forever"] },
      ],
    });
    await untilStatus(created.body.id, "RUNNING");
    const cancelled = await api("POST", `/pipelines/${created.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.steps.map((s: any) => s.status)).toEqual(["CANCELLED", "SKIPPED"]);
    expect((await api("GET", `/jobs/${cancelled.body.steps[0].job_id}`)).body.status).toBe("CANCELLED");
    expect((await api("POST", `/pipelines/${created.body.id}/cancel`)).status).toBe(409);
  });

  test("the pipelines service killed mid-pipeline resumes it after a restart", async () => {
    const created = await api("POST", "/pipelines/", {
      pipeline_name: "survivor",
      steps: [
        { name: "one", kind: "sleep", payload: { ms: 1000 } },
        { name: "two", kind: "echo", payload: 2, depends_on: ["one"] },
        { name: "three", kind: "echo", payload: 3, depends_on: ["two"] },
      ],
    });
    await untilStatus(created.body.id, "RUNNING");
    const pipelines = system.services.pipelines;
    await pipelines.stop("SIGKILL");
    const restarted = await startService("pipelines", {
      ...system.env,
      ...serviceEnv.pipelines,
      PORT: String(pipelines.port),
      JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
    });
    extra.push(restarted);
    const done = await untilStatus(created.body.id, "SUCCEEDED");
    expect(done.steps.map((s: any) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const listed = await api("GET", "/jobs/?page_size=500");
    const names = listed.body.items.map((j: any) => j.job_name).filter((n: string) => n.startsWith("survivor:"));
    expect(names.sort()).toEqual(["survivor: one", "survivor: three", "survivor: two"]);
  }, 60_000);
});
