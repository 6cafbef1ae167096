// The pipelines service over real gRPC servers (pipelines and jobs), on SQLite
// and on PostgreSQL. The tests act as the worker, through the jobs service.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { pipelines, type ListPipelinesResponse__Output, type Pipeline__Output } from "@platform/proto";
import { startJobsFixture, type JobsFixture } from "../../jobs/src/testing";
import { startPipelinesServer } from "./server";
import { eventually } from "@platform/kit/testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

interface StepInput {
  name: string;
  kind: string;
  payload?: string;
  depends_on?: string[];
}

describe.each(TEST_BACKENDS)("pipelines service on %s", (backend) => {
  let jobs: JobsFixture;
  let server: RunningGrpcServer;
  let client: grpc.Client;
  let db: Db;
  let url: string;

  const start = async () => {
    db = openDatabase("pipelines", { url, dataDir: "", poolSize: 8 });
    server = await startPipelinesServer(
      { ...TEST_SERVER_CONFIG, JOBS_SERVICE_URL: jobs.target, PIPELINES_POLL_MS: 50 },
      quietLogger(),
      db,
    );
    client = new pipelines.PipelinesService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  };
  const stop = async () => {
    client.close();
    await server.shutdown();
    await db.close();
  };

  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
    url = await createTestDatabaseUrl(backend);
    await start();
  });
  afterAll(async () => {
    await stop();
    await jobs.stop();
  });

  const createPipeline = (pipeline_name: string, steps: StepInput[] = [], owner = "tester") =>
    call<object, Pipeline__Output>(client, "CreatePipeline", { pipeline_name, steps, owner });
  const getPipeline = (id: string, owner = "") => call<object, Pipeline__Output>(client, "GetPipeline", { id, owner });
  const cancelPipeline = (id: string, owner = "") =>
    call<object, Pipeline__Output>(client, "CancelPipeline", { id, owner });
  const until = (id: string, predicate: (p: Pipeline__Output) => boolean, what: string) =>
    eventually(
      async () => {
        const p = await getPipeline(id);
        return predicate(p) ? p : undefined;
      },
      15_000,
      what,
    );
  const stepOf = (p: Pipeline__Output, name: string) => p.steps.find((s) => s.name === name)!;
  /** Plays a worker: claims one job of `kind` and completes or fails it. */
  const work = async (kind: string, outcome: "complete" | "fail") => {
    const { job, lease_token } = await eventually(
      async () => (await jobs.claim("test-worker", [kind])) ?? undefined,
      15_000,
      `a ${kind} job`,
    );
    if (outcome === "complete") await jobs.complete(job.id, lease_token, job.payload || "null");
    else await jobs.fail(job.id, lease_token, "it broke");
    return job;
  };

  describe("the seed's behaviour", () => {
    test("CreatePipeline assigns ids in order and starts PENDING with timestamps", async () => {
      const first = await createPipeline("ML Training Pipeline");
      const second = await createPipeline("Another");
      expect(first).toMatchObject({
        id: "1",
        pipeline_name: "ML Training Pipeline",
        status: "PIPELINE_STATUS_PENDING",
        steps: [],
      });
      expect(second.id).toBe("2");
      expect(first.created_at).toEqual(first.updated_at);
    });

    test("GetPipeline returns the stored pipeline; an unknown id is NOT_FOUND", async () => {
      expect((await getPipeline("1")).pipeline_name).toBe("ML Training Pipeline");
      expect((await grpcError(getPipeline("404"))).code).toBe(grpc.status.NOT_FOUND);
    });

    test("an empty pipeline_name is INVALID_ARGUMENT", async () => {
      const error = await grpcError(createPipeline("   "));
      expect([error.code, error.details]).toEqual([grpc.status.INVALID_ARGUMENT, "pipeline_name: must not be empty"]);
    });

    test("ListPipelines pages in id order", async () => {
      const page = await call<object, ListPipelinesResponse__Output>(client, "ListPipelines", { page_size: 1 });
      expect(page.pipelines.map((p) => p.id)).toEqual(["1"]);
      const next = await call<object, ListPipelinesResponse__Output>(client, "ListPipelines", {
        page_size: 1,
        page_token: page.next_page_token,
      });
      expect(next.pipelines.map((p) => p.id)).toEqual(["2"]);
    });
  });

  describe("owners", () => {
    test("a pipeline belongs to its owner, and so do its steps' jobs", async () => {
      const kind = `${backend}-owned`;
      const created = await createPipeline(
        "alice's",
        [
          { name: "a", kind },
          { name: "b", kind, depends_on: ["a"] },
        ],
        "alice@example.com",
      );
      expect(created.owner).toBe("alice@example.com");
      expect((await jobs.get(stepOf(created, "a").job_id)).owner).toBe("alice@example.com");
      await work(kind, "complete");
      const next = await until(created.id, (p) => stepOf(p, "b").job_id !== "0", "step b to be submitted");
      expect((await jobs.get(stepOf(next, "b").job_id, "alice@example.com")).owner).toBe("alice@example.com");
      expect((await jobs.list({ page_size: 500, owner: "alice@example.com" })).jobs.map((j) => j.id)).toEqual([
        stepOf(next, "a").job_id,
        stepOf(next, "b").job_id,
      ]);
      await work(kind, "complete");
      await until(created.id, (p) => p.status === "PIPELINE_STATUS_SUCCEEDED", "alice's pipeline to succeed");
    });

    test("another owner's Get and Cancel are NOT_FOUND; List filters by owner; an owner is required", async () => {
      const bobs = await createPipeline("bob's", [], "bob@example.com");
      const carols = await createPipeline("carol's", [], "carol@example.com");
      expect((await grpcError(getPipeline(bobs.id, "carol@example.com"))).code).toBe(grpc.status.NOT_FOUND);
      expect((await grpcError(cancelPipeline(bobs.id, "carol@example.com"))).code).toBe(grpc.status.NOT_FOUND);
      expect((await getPipeline(bobs.id)).status).toBe("PIPELINE_STATUS_PENDING");
      expect((await getPipeline(bobs.id, "bob@example.com")).owner).toBe("bob@example.com");
      const listed = await call<object, ListPipelinesResponse__Output>(client, "ListPipelines", {
        page_size: 500,
        owner: "carol@example.com",
      });
      expect(listed.pipelines.map((p) => p.id)).toEqual([carols.id]);
      expect((await cancelPipeline(bobs.id, "bob@example.com")).status).toBe("PIPELINE_STATUS_CANCELLED");
      const missing = await grpcError(createPipeline("nobody's", [], ""));
      expect([missing.code, missing.details]).toEqual([grpc.status.INVALID_ARGUMENT, "owner: must not be empty"]);
    });
  });

  describe("validation", () => {
    test.each([
      [
        "a cycle",
        [
          { name: "a", kind: "echo", depends_on: ["b"] },
          { name: "b", kind: "echo", depends_on: ["a"] },
        ],
        "cycle: a -> b -> a",
      ],
      ["an unknown dependency", [{ name: "a", kind: "echo", depends_on: ["ghost"] }], "ghost is not a step"],
      [
        "a duplicate step name",
        [
          { name: "a", kind: "echo" },
          { name: "a", kind: "echo" },
        ],
        "used by another step",
      ],
      ["a self-dependency", [{ name: "a", kind: "echo", depends_on: ["a"] }], "cannot depend on itself"],
      ["a bad kind", [{ name: "a", kind: "sh -c" }], "kind"],
      ["a payload that is not JSON", [{ name: "a", kind: "echo", payload: "{" }], "valid JSON"],
      ["too many steps", Array.from({ length: 51 }, (_, i) => ({ name: `s${i}`, kind: "echo" })), "at most 50"],
    ])("%s is INVALID_ARGUMENT", async (_, steps, message) => {
      const error = await grpcError(createPipeline("bad", steps));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain(message);
    });
  });

  describe("idempotency keys", () => {
    const create = (request: object) =>
      call<object, Pipeline__Output>(client, "CreatePipeline", { owner: "tester", ...request });
    test("a replay returns the first pipeline and submits nothing twice; another request under the key is INVALID_ARGUMENT", async () => {
      const steps = [{ name: "a", kind: "pidem", payload: '{"n":1}' }];
      const request = { pipeline_name: "once", steps, idempotency_key: "p-key-1" };
      const first = await create(request);
      expect(first).toMatchObject({ idempotency_key: "p-key-1", idempotent_replay: false });
      const again = await create(request);
      expect(again).toMatchObject({ id: first.id, idempotent_replay: true });
      // The service sees the name trimmed: still the same request.
      expect((await create({ ...request, pipeline_name: " once " })).id).toBe(first.id);
      for (const changed of [
        { pipeline_name: "twice" },
        { steps: [{ ...steps[0], payload: '{"n":2}' }] },
        { steps: [...steps, { name: "b", kind: "pidem" }] },
        { steps: [] },
      ]) {
        const error = await grpcError(create({ ...request, ...changed }));
        expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(error.details).toBe("idempotency_key: was used with a different request body");
      }
      await work("pidem", "complete");
      await until(first.id, (p) => p.status === "PIPELINE_STATUS_SUCCEEDED", "the pipeline to succeed");
      expect(await jobs.claim("test-worker", ["pidem"])).toBeNull();
      // Another owner's same key is a pipeline of its own.
      const bobs = await create({ ...request, owner: "bob@example.com" });
      expect(bobs).toMatchObject({ owner: "bob@example.com", idempotent_replay: false });
      expect(bobs.id).not.toBe(first.id);
      await work("pidem", "complete");
    });

    test("a bad key is INVALID_ARGUMENT", async () => {
      for (const key of ["has space", "x".repeat(201), "caf\u00e9"]) {
        const error = await grpcError(create({ pipeline_name: "k", idempotency_key: key }));
        expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(error.details).toBe("idempotency_key: must be 1 to 200 printable ASCII characters");
      }
    });
  });

  describe("orchestration", () => {
    test("a diamond runs in dependency order to SUCCEEDED", async () => {
      const kind = `${backend}-diamond`;
      const created = await createPipeline("diamond", [
        { name: "fetch", kind, payload: '"f"' },
        { name: "left", kind, depends_on: ["fetch"] },
        { name: "right", kind, depends_on: ["fetch"] },
        { name: "join", kind, depends_on: ["left", "right"] },
      ]);
      expect(created.status).toBe("PIPELINE_STATUS_PENDING");
      expect(stepOf(created, "fetch")).toMatchObject({ status: "STEP_STATUS_PENDING" });
      expect(stepOf(created, "fetch").job_id).not.toBe("0");
      expect(stepOf(created, "join")).toMatchObject({ status: "STEP_STATUS_WAITING", job_id: "0" });
      expect((await jobs.get(stepOf(created, "fetch").job_id)).payload).toBe('"f"');

      expect((await work(kind, "complete")).id).toBe(stepOf(created, "fetch").job_id);
      await until(
        created.id,
        (p) => stepOf(p, "left").job_id !== "0" && stepOf(p, "right").job_id !== "0",
        "left and right to be submitted",
      );
      expect(stepOf(await getPipeline(created.id), "join").status).toBe("STEP_STATUS_WAITING");
      await work(kind, "complete");
      await work(kind, "complete");
      await work(kind, "complete");
      const done = await until(created.id, (p) => p.status === "PIPELINE_STATUS_SUCCEEDED", "the pipeline to succeed");
      expect(done.steps.map((s) => s.status)).toEqual(Array(4).fill("STEP_STATUS_SUCCEEDED"));
    });

    test("a failing step fails the pipeline; unstarted steps are SKIPPED, parallel jobs CANCELLED", async () => {
      const kind = `${backend}-failing`;
      const created = await createPipeline("failing", [
        { name: "a", kind, payload: "1" },
        { name: "b", kind: `${kind}-slow` },
        { name: "c", kind, depends_on: ["a"] },
      ]);
      // max_attempts is 3: fail every attempt.
      for (let i = 0; i < 3; i++) await work(kind, "fail");
      const failed = await until(
        created.id,
        (p) => p.status === "PIPELINE_STATUS_FAILED" && p.steps.every((s) => s.status !== "STEP_STATUS_PENDING"),
        "the pipeline to fail",
      );
      expect(stepOf(failed, "a")).toMatchObject({ status: "STEP_STATUS_FAILED", error: "it broke" });
      expect(stepOf(failed, "b").status).toBe("STEP_STATUS_CANCELLED");
      expect(stepOf(failed, "c")).toMatchObject({ status: "STEP_STATUS_SKIPPED", job_id: "0" });
      expect((await jobs.get(stepOf(failed, "b").job_id)).status).toBe("JOB_STATUS_CANCELLED");
    });

    test("cancel cancels the running jobs and skips the rest; a second cancel is FAILED_PRECONDITION", async () => {
      const kind = `${backend}-cancel`;
      const created = await createPipeline("cancelled", [
        { name: "a", kind },
        { name: "b", kind, depends_on: ["a"] },
      ]);
      const running = (await eventually(async () => (await jobs.claim("test-worker", [kind])) ?? undefined)).job;
      await until(created.id, (p) => p.status === "PIPELINE_STATUS_RUNNING", "the pipeline to run");
      const cancelled = await cancelPipeline(created.id);
      expect(cancelled.status).toBe("PIPELINE_STATUS_CANCELLED");
      expect(cancelled.steps.map((s) => s.status)).toEqual(["STEP_STATUS_CANCELLED", "STEP_STATUS_SKIPPED"]);
      expect((await jobs.get(running.id)).status).toBe("JOB_STATUS_CANCELLED");
      expect((await grpcError(cancelPipeline(created.id))).code).toBe(grpc.status.FAILED_PRECONDITION);
      const listed = await call<object, ListPipelinesResponse__Output>(client, "ListPipelines", {
        page_size: 500,
        status: "PIPELINE_STATUS_CANCELLED",
        owner: "tester",
      });
      expect(listed.pipelines.map((p) => p.id)).toEqual([created.id]);
    });

    test("a restart mid-pipeline resumes it, without submitting any step twice", async () => {
      const kind = `${backend}-restart`;
      const created = await createPipeline("restarted", [
        { name: "a", kind },
        { name: "b", kind, depends_on: ["a"] },
        { name: "c", kind, depends_on: ["b"] },
      ]);
      await stop();
      await work(kind, "complete");
      await start();
      await work(kind, "complete");
      await stop();
      await start();
      await work(kind, "complete");
      const done = await until(
        created.id,
        (p) => p.status === "PIPELINE_STATUS_SUCCEEDED",
        "the pipeline to succeed after restarts",
      );
      expect(new Set(done.steps.map((s) => s.job_id)).size).toBe(3);
      const all = await jobs.list({ page_size: 500 });
      expect(all.jobs.filter((j) => j.kind === kind)).toHaveLength(3);
    });
  });
  describe("WatchPipeline", () => {
    const watch = (id: string, owner = "") => {
      const seen: Pipeline__Output[] = [];
      const stream = (
        client as unknown as {
          WatchPipeline(r: object, o: grpc.CallOptions): grpc.ClientReadableStream<Pipeline__Output>;
        }
      ).WatchPipeline({ id, owner }, { deadline: Date.now() + 20_000 });
      stream.on("data", (pipeline: Pipeline__Output) => seen.push(pipeline));
      const ended = new Promise<number>((resolve) => {
        stream.on("error", (error: grpc.ServiceError) => resolve(error.code));
        stream.on("status", (status: grpc.StatusObject) => resolve(status.code));
      });
      return { seen, ended };
    };
    const view = (p: Pipeline__Output) => [p.status, ...p.steps.map((s) => s.status)].join(" ");

    test("sends the pipeline now and after every change (steps following their jobs), and ends once final", async () => {
      const kind = `${backend}-watch`;
      const created = await createPipeline("watched", [{ name: "only", kind }]);
      const { seen, ended } = watch(created.id, "tester");
      await eventually(async () => (seen.length >= 1 ? true : undefined), 15_000, "the pipeline now");
      const claimed = await eventually(
        async () => (await jobs.claim("test-worker", [kind])) ?? undefined,
        15_000,
        "the step's job",
      );
      await eventually(
        async () => (seen.some((p) => p.steps[0]!.status === "STEP_STATUS_RUNNING") ? true : undefined),
        15_000,
        "the running step",
      );
      await jobs.complete(claimed.job.id, claimed.lease_token, "null");
      expect(await ended).toBe(grpc.status.OK);
      const views = seen.map(view);
      expect(views[0]).toMatch(/^PIPELINE_STATUS_(PENDING|RUNNING) STEP_STATUS_PENDING$/);
      expect(views).toContain("PIPELINE_STATUS_RUNNING STEP_STATUS_RUNNING");
      expect(views.at(-1)).toBe("PIPELINE_STATUS_SUCCEEDED STEP_STATUS_SUCCEEDED");
      // One message per change: no view is sent twice in a row.
      expect(views.every((v, i) => i === 0 || v !== views[i - 1])).toBe(true);
    });

    test("a cancel is sent and ends the watch; a final pipeline is sent once", async () => {
      const created = await createPipeline("watched and cancelled", [{ name: "a", kind: `${backend}-watch-cancel` }]);
      const { seen, ended } = watch(created.id);
      await eventually(async () => (seen.length >= 1 ? true : undefined), 15_000, "the pipeline now");
      await cancelPipeline(created.id);
      expect(await ended).toBe(grpc.status.OK);
      expect(view(seen.at(-1)!)).toBe("PIPELINE_STATUS_CANCELLED STEP_STATUS_CANCELLED");
      const again = watch(created.id);
      expect(await again.ended).toBe(grpc.status.OK);
      expect(again.seen.map(view)).toEqual(["PIPELINE_STATUS_CANCELLED STEP_STATUS_CANCELLED"]);
    });

    test("another owner's pipeline and an unknown id are NOT_FOUND; a bad id is INVALID_ARGUMENT", async () => {
      const created = await createPipeline("alice's watched", [], "alice");
      expect(await watch(created.id, "bob").ended).toBe(grpc.status.NOT_FOUND);
      expect(await watch("999999").ended).toBe(grpc.status.NOT_FOUND);
      expect(await watch("0").ended).toBe(grpc.status.INVALID_ARGUMENT);
      const mine = watch(created.id, "alice");
      await eventually(async () => (mine.seen.length >= 1 ? true : undefined), 15_000, "alice's pipeline");
      expect(mine.seen[0]!.owner).toBe("alice");
      await cancelPipeline(created.id, "alice");
      expect(await mine.ended).toBe(grpc.status.OK);
    });
  });
});
