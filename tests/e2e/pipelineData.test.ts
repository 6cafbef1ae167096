// Pipelines that carry data, end to end on SQLite files and on PostgreSQL: the
// whole system as real processes, the reference worker as a real process (it
// runs the `echo` steps), and a user-defined kind run by an SDK worker in this
// process (it fails until the test lets it succeed). Everything goes through
// the gateway's HTTP API: a three-step pipeline whose later steps' payloads
// use a parameter and earlier results, its failing last step retried until
// the pipeline succeeds, then a re-run with another parameter.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { createLogger } from "@platform/kit";
import { eventually } from "@platform/kit/testing";
import { type RunningComponent, type RunningSystem, startSystem, startWorker } from "@platform/harness";
import { createWorker, type Worker } from "../../worker/src/index";

setDefaultTimeout(60_000);

const FAST = {
  JOBS_RETRY_BACKOFF_MS: "50",
  JOBS_LEASE_SWEEP_MS: "200",
  JOBS_WATCH_POLL_MS: "200",
  PIPELINES_POLL_MS: "100",
};

describe.each(TEST_BACKENDS)("pipeline data end to end on %s", (backend) => {
  let system: RunningSystem;
  let token: string;
  let reference: RunningComponent | undefined;
  let publisher: Worker | undefined;
  /** Whether the `e2e-publish` kind fails; the test lets it succeed before retrying. */
  let broken = true;

  beforeAll(async () => {
    const serviceEnv =
      backend === "postgres"
        ? {
            users: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
            jobs: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
            pipelines: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
          }
        : {};
    system = await startSystem({ env: FAST, serviceEnv });
    const jobsServiceUrl = `127.0.0.1:${system.services.jobs.port}`;
    reference = await startWorker("worker", {
      JOBS_SERVICE_URL: jobsServiceUrl,
      WORKER_CONCURRENCY: "2",
      LOG_LEVEL: "warn",
    });
    publisher = createWorker({
      jobsServiceUrl,
      workerId: "e2e-publisher",
      logger: createLogger("e2e-publisher", "silent"),
    })
      .handle("e2e-publish", async (payload: unknown) => {
        if (broken) throw new Error("the registry is down");
        return { published: payload };
      })
      .start();
    const login = await fetch(`${system.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username":"admin","password":"secret"}',
    });
    token = ((await login.json()) as { access_token: string }).access_token;
  }, 90_000);
  afterAll(async () => {
    await publisher?.stop(1_000);
    await reference?.stop("SIGKILL");
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
  const untilStatus = (id: number, status: string) =>
    eventually(
      async () => {
        const { body } = await api("GET", `/pipelines/${id}`);
        const settled = body.steps.every((s: any) => !["WAITING", "PENDING", "RUNNING"].includes(s.status));
        return body.status === status && settled ? body : undefined;
      },
      30_000,
      `pipeline ${id} to be ${status}`,
    );
  const jobOf = async (step: { job_id: number }) => (await api("GET", `/jobs/${step.job_id}`)).body;

  test("results and parameters flow between steps; a failed step is retried and the pipeline continues; then a re-run", async () => {
    const created = await api("POST", "/pipelines/", {
      pipeline_name: "carry data",
      parameters: { region: "eu", version: 3 },
      steps: [
        { name: "prepare", kind: "echo", payload: { rows: [10, 20, 30], region: "{{ params.region }}" } },
        {
          name: "train",
          kind: "echo",
          depends_on: ["prepare"],
          payload: { rows: "{{ steps.prepare.result.rows }}", label: "{{ params.region }}-v{{ params.version }}" },
        },
        {
          name: "publish",
          kind: "e2e-publish",
          depends_on: ["train"],
          payload: { model: "{{ steps.train.result.label }}", first: "{{ steps.prepare.result.rows[0] }}" },
        },
      ],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    // The publish step fails every attempt: the pipeline fails, with the data so far kept.
    const failed = await untilStatus(id, "FAILED");
    expect(failed.steps.map((s: any) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "FAILED"]);
    expect(failed.steps[2].error).toBe("the registry is down");
    const train = await jobOf(failed.steps[1]);
    expect(train.payload).toEqual({ rows: [10, 20, 30], label: "eu-v3" });
    expect(train.result).toEqual({ rows: [10, 20, 30], label: "eu-v3" });

    broken = false;
    const retried = await api("POST", `/pipelines/${id}/retry`);
    expect(retried.status).toBe(200);
    // RUNNING; or already SUCCEEDED when a sweep's reconcile and the worker beat the retry's own reconcile.
    expect(retried.body.retries).toBe(1);
    expect(["RUNNING", "SUCCEEDED"]).toContain(retried.body.status);
    const done = await untilStatus(id, "SUCCEEDED");
    // The succeeded steps kept their jobs; the retried one got a new job.
    expect(done.steps[0].job_id).toBe(failed.steps[0].job_id);
    expect(done.steps[1].job_id).toBe(failed.steps[1].job_id);
    expect(done.steps[2].job_id).not.toBe(failed.steps[2].job_id);
    const publish = await jobOf(done.steps[2]);
    expect(publish.payload).toEqual({ model: "eu-v3", first: 10 });
    expect(publish.result).toEqual({ published: { model: "eu-v3", first: 10 } });
    expect((await api("POST", `/pipelines/${id}/retry`)).status).toBe(409);

    const rerun = await api("POST", `/pipelines/${id}/rerun`, { parameters: { region: "us" } });
    expect(rerun.status).toBe(201);
    expect(rerun.body).toMatchObject({ rerun_of: id, parameters: { region: "us", version: 3 }, retries: 0 });
    const again = await untilStatus(rerun.body.id, "SUCCEEDED");
    expect((await jobOf(again.steps[2])).payload).toEqual({ model: "us-v3", first: 10 });
    // The source pipeline is unchanged.
    expect((await api("GET", `/pipelines/${id}`)).body.parameters).toEqual({ region: "eu", version: 3 });
  });
});
