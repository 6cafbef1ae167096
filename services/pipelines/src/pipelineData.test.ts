// Pipelines that carry data, over real gRPC servers (pipelines and jobs) on
// SQLite and PostgreSQL: parameters stored and returned, step payloads
// rendered from parameters and earlier results when their jobs are created, a
// reference that finds nothing failing its step, RetryPipeline continuing a
// failed pipeline with new jobs, and RerunPipeline copying one. The tests act
// as the worker, through the jobs service.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { call, eventually, grpcError, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { pipelines, type Pipeline__Output } from "@platform/proto";
import { startJobsFixture, type JobsFixture } from "../../jobs/src/testing";
import { startPipelinesServer } from "./server";

setDefaultTimeout(30_000);

interface StepInput {
  name: string;
  kind: string;
  payload?: string;
  depends_on?: string[];
}

describe.each(TEST_BACKENDS)("pipeline data on %s", (backend) => {
  let jobs: JobsFixture;
  let server: RunningGrpcServer;
  let client: grpc.Client;
  let db: Db;

  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
    db = openDatabase("pipelines", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 8 });
    server = await startPipelinesServer(
      { ...TEST_SERVER_CONFIG, JOBS_SERVICE_URL: jobs.target, PIPELINES_POLL_MS: 50 },
      quietLogger(),
      db,
    );
    client = new pipelines.PipelinesService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await server.shutdown();
    await db.close();
    await jobs.stop();
  });

  const rpc = (method: string, request: object) => call<object, Pipeline__Output>(client, method, request);
  const create = (steps: StepInput[], parameters = "", owner = "tester") =>
    rpc("CreatePipeline", { pipeline_name: "data", steps, owner, parameters });
  const until = (id: string, predicate: (p: Pipeline__Output) => boolean, what: string) =>
    eventually(
      async () => {
        const p = await rpc("GetPipeline", { id, owner: "" });
        return predicate(p) ? p : undefined;
      },
      15_000,
      what,
    );
  const stepOf = (p: Pipeline__Output, name: string) => p.steps.find((s) => s.name === name)!;
  const settled = (status: string) => (p: Pipeline__Output) =>
    p.status === status &&
    p.steps.every((s) => ["SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED"].some((f) => s.status.endsWith(f)));
  /** Plays a worker: claims one job of `kind`, completes it with `result` or fails it; returns the job. */
  const work = async (kind: string, outcome: { result: unknown } | "fail") => {
    const { job, lease_token } = await eventually(
      async () => (await jobs.claim("test-worker", [kind])) ?? undefined,
      15_000,
      `a ${kind} job`,
    );
    if (outcome === "fail") await jobs.fail(job.id, lease_token, "it broke");
    else await jobs.complete(job.id, lease_token, JSON.stringify(outcome.result));
    return job;
  };

  test("parameters are stored and returned; a bad one is INVALID_ARGUMENT naming the field", async () => {
    const created = await create([], '{"region":"eu","n":[1,2]}');
    expect(created.parameters).toBe('{"region":"eu","n":[1,2]}');
    expect((await rpc("GetPipeline", { id: created.id, owner: "" })).parameters).toBe('{"region":"eu","n":[1,2]}');
    expect((await create([])).parameters).toBe("");
    const error = await grpcError(create([], "[1,2]"));
    expect([error.code, error.details]).toEqual([grpc.status.INVALID_ARGUMENT, "parameters: must be a JSON object"]);
  });

  test("a template referencing a step that is not a dependency is INVALID_ARGUMENT naming step and field", async () => {
    const error = await grpcError(
      create([
        { name: "a", kind: "x" },
        { name: "b", kind: "x", payload: '{"v":"{{ steps.a.result.v }}"}' },
      ]),
    );
    expect([error.code, error.details]).toEqual([
      grpc.status.INVALID_ARGUMENT,
      "steps.1.payload: {{ steps.a.result.v }}: step b does not depend on a (add it to depends_on)",
    ]);
  });

  test("a step's payload is rendered from the parameters and an earlier step's result when its job is created", async () => {
    const kind = `${backend}-render`;
    const created = await create(
      [
        { name: "fetch", kind },
        {
          name: "train",
          kind,
          depends_on: ["fetch"],
          payload:
            '{"rows":"{{ steps.fetch.result.rows }}","label":"{{ params.region }}-{{ steps.fetch.result.rows[1] }}"}',
        },
        { name: "report", kind, depends_on: ["train"], payload: '{"first":"{{ steps.fetch.result.rows[0] }}"}' },
      ],
      '{"region":"eu"}',
    );
    await work(kind, { result: { rows: [7, 8] } });
    const second = await work(kind, { result: { ok: true } });
    expect(JSON.parse(second.payload)).toEqual({ rows: [7, 8], label: "eu-8" });
    const third = await work(kind, { result: null });
    expect(JSON.parse(third.payload)).toEqual({ first: 7 });
    await until(created.id, (p) => p.status === "PIPELINE_STATUS_SUCCEEDED", "the pipeline to succeed");
    // The step keeps its template; the job has the rendered payload.
    expect(stepOf(await rpc("GetPipeline", { id: created.id, owner: "" }), "train").payload).toContain("{{");
  });

  test("a reference that finds nothing fails its step with a clear error, and the pipeline with it", async () => {
    const kind = `${backend}-missing`;
    const created = await create([
      { name: "a", kind },
      { name: "b", kind, depends_on: ["a"], payload: '{"v":"{{ steps.a.result.nope }}"}' },
      { name: "c", kind, depends_on: ["b"] },
    ]);
    await work(kind, { result: { yes: 1 } });
    const failed = await until(created.id, settled("PIPELINE_STATUS_FAILED"), "the pipeline to fail");
    expect(stepOf(failed, "b")).toMatchObject({
      status: "STEP_STATUS_FAILED",
      job_id: "0",
      error: "payload: {{ steps.a.result.nope }}: step a's result has nothing at nope",
    });
    expect(stepOf(failed, "c").status).toBe("STEP_STATUS_SKIPPED");
  });

  test("RetryPipeline: failed and skipped steps get new jobs, succeeded ones keep theirs, and it runs on", async () => {
    const kind = `${backend}-retry`;
    const created = await create(
      [
        { name: "a", kind },
        { name: "b", kind, depends_on: ["a"], payload: '{"n":"{{ steps.a.result.n }}","p":"{{ params.p }}"}' },
        { name: "c", kind, depends_on: ["b"] },
      ],
      '{"p":"x"}',
    );
    const a = await work(kind, { result: { n: 5 } });
    for (let i = 0; i < 3; i++) await work(kind, "fail"); // b: every attempt
    const failed = await until(created.id, settled("PIPELINE_STATUS_FAILED"), "the pipeline to fail");
    const oldB = stepOf(failed, "b").job_id;

    const retried = await rpc("RetryPipeline", { id: created.id, owner: "tester" });
    expect(retried.status).toBe("PIPELINE_STATUS_RUNNING");
    expect(retried.retries).toBe(1);
    expect(stepOf(retried, "a")).toMatchObject({ status: "STEP_STATUS_SUCCEEDED", job_id: a.id });
    expect(stepOf(retried, "b").status).toBe("STEP_STATUS_PENDING");
    expect(stepOf(retried, "b").job_id).not.toBe(oldB);
    expect(stepOf(retried, "c")).toMatchObject({ status: "STEP_STATUS_WAITING", job_id: "0" });

    const b = await work(kind, { result: 1 });
    expect(b.id).toBe(stepOf(retried, "b").job_id);
    expect(JSON.parse(b.payload)).toEqual({ n: 5, p: "x" });
    await work(kind, { result: 2 });
    const done = await until(created.id, (p) => p.status === "PIPELINE_STATUS_SUCCEEDED", "the retried pipeline");
    expect(done.steps.every((s) => s.status === "STEP_STATUS_SUCCEEDED")).toBe(true);
  });

  test("RetryPipeline: a pipeline that did not fail is FAILED_PRECONDITION; another owner's is NOT_FOUND", async () => {
    const kind = `${backend}-not-retryable`;
    const created = await create([{ name: "a", kind }]);
    const running = await grpcError(rpc("RetryPipeline", { id: created.id, owner: "" }));
    expect(running.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(running.details).toContain("only a FAILED or CANCELLED pipeline can be retried");
    expect((await grpcError(rpc("RetryPipeline", { id: created.id, owner: "mallory" }))).code).toBe(
      grpc.status.NOT_FOUND,
    );
    await rpc("CancelPipeline", { id: created.id, owner: "" });
    await until(created.id, settled("PIPELINE_STATUS_CANCELLED"), "the cancel to settle");
    const retried = await rpc("RetryPipeline", { id: created.id, owner: "" });
    expect([retried.status, stepOf(retried, "a").status]).toEqual(["PIPELINE_STATUS_RUNNING", "STEP_STATUS_PENDING"]);
    await work(kind, { result: 1 });
    await until(created.id, (p) => p.status === "PIPELINE_STATUS_SUCCEEDED", "the retried pipeline");
  });

  test("RerunPipeline copies steps and parameters, merges overrides, and belongs to the new owner", async () => {
    const kind = `${backend}-rerun`;
    const source = await create(
      [{ name: "a", kind, payload: '{"who":"{{ params.who }}","n":"{{ params.n }}"}' }],
      '{"who":"ann","n":1}',
    );
    const first = await work(kind, { result: 1 });
    expect(JSON.parse(first.payload)).toEqual({ who: "ann", n: 1 });
    const rerun = await rpc("RerunPipeline", {
      id: source.id,
      owner: "tester",
      new_owner: "bob",
      parameters: '{"n":2}',
    });
    expect(rerun).toMatchObject({ pipeline_name: "data", owner: "bob", rerun_of: source.id, retries: 0 });
    expect(rerun.id).not.toBe(source.id);
    expect(JSON.parse(rerun.parameters)).toEqual({ who: "ann", n: 2 });
    const second = await work(kind, { result: 1 });
    expect(JSON.parse(second.payload)).toEqual({ who: "ann", n: 2 });
    expect(second.owner).toBe("bob");

    expect((await grpcError(rpc("RerunPipeline", { id: source.id, owner: "mallory", new_owner: "m" }))).code).toBe(
      grpc.status.NOT_FOUND,
    );
    const bad = await grpcError(rpc("RerunPipeline", { id: source.id, owner: "", new_owner: "bob", parameters: "1" }));
    expect([bad.code, bad.details]).toEqual([grpc.status.INVALID_ARGUMENT, "parameters: must be a JSON object"]);
  });

  test("RerunPipeline with an idempotency key replays the first re-run", async () => {
    const source = await create([], '{"a":1}');
    const request = { id: source.id, owner: "", new_owner: "tester", idempotency_key: `rerun-${backend}` };
    const first = await rpc("RerunPipeline", request);
    const again = await rpc("RerunPipeline", request);
    expect([again.id, again.idempotent_replay]).toEqual([first.id, true]);
  });
});
