// The jobs and pipelines routes through app.handle, over real gRPC services:
// the worker protocol, illegal transitions as 409, the SSE watch, pipelines with steps.
// The admin creates and reads; a worker account runs the worker protocol.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";
import { eventually } from "@platform/kit/testing";
import { CLAIM_WAIT_MS_MAX } from "@platform/proto/rules";
import { DEFAULT_ROUTE_TIMEOUT_MS } from "../../envoy/options";
import { HTTP_CLAIM_WAIT_MS_MAX } from "../../gateway/src/modules/jobs";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

let gw: GatewayFixture;
let token: string;
let workerToken: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  token = await gw.login();
  workerToken = (await gw.account(["worker"])).token;
});
afterAll(() => gw.close());

const json = async (response: Response) => (await response.json()) as Record<string, any>;
const post = (path: string, body?: unknown) => gw.req("POST", path, { token, body });
const get = (path: string) => gw.req("GET", path, { token });
/** The worker protocol, as the worker account. */
const work = (path: string, body?: unknown) => gw.req("POST", path, { token: workerToken, body });

describe("jobs over HTTP", () => {
  test("a job with kind, JSON payload and max_attempts round-trips, with the seed fields", async () => {
    const response = await post("/jobs/", {
      job_name: "resize",
      kind: "http1",
      payload: { width: 640, tags: ["a"] },
      max_attempts: 2,
    });
    expect(response.status).toBe(201);
    const job = await json(response);
    expect(job).toMatchObject({
      job_name: "resize",
      status: "PENDING",
      kind: "http1",
      payload: { width: 640, tags: ["a"] },
      max_attempts: 2,
      attempts: 0,
      result: null,
      error: null,
      worker_id: null,
      started_at: null,
      owner: "admin",
    });
    expect(Object.keys(job)).toEqual(expect.arrayContaining(["id", "job_name", "status", "created_at", "updated_at"]));
    expect(await json(await get(`/jobs/${job.id}`))).toEqual(job);
  });

  test("the worker protocol: claim (204 when empty), heartbeat, complete; then illegal transitions are 409", async () => {
    expect((await work("/jobs/claim", { worker_id: "w", kinds: ["http2"] })).status).toBe(204);
    const job = await json(await post("/jobs/", { job_name: "echo me", kind: "http2", payload: "hi" }));
    const claimed = await json(await work("/jobs/claim", { worker_id: "w", lease_seconds: 10, kinds: ["http2"] }));
    const lease_token = claimed.lease_token as string;
    expect(lease_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claimed).toMatchObject({ id: job.id, status: "RUNNING", worker_id: "w", attempts: 1 });
    expect((await work(`/jobs/${job.id}/heartbeat`, { lease_token, lease_seconds: 20 })).status).toBe(200);
    const done = await json(await work(`/jobs/${job.id}/complete`, { lease_token, result: { echoed: "hi" } }));
    expect(done).toMatchObject({ status: "SUCCEEDED", result: { echoed: "hi" }, worker_id: null });
    expect(done.lease_token).toBeUndefined();
    expect((await post(`/jobs/${job.id}/cancel`)).status).toBe(409);
    const late = await work(`/jobs/${job.id}/fail`, { lease_token, error: "late" });
    expect(late.status).toBe(409);
    expect((await json(late)).grpc_code).toBe("FAILED_PRECONDITION");
  });

  test("fail re-queues, cancel cancels, and the status filter lists them", async () => {
    const job = await json(await post("/jobs/", { job_name: "flaky", kind: "http3", max_attempts: 1 }));
    const { lease_token } = await json(await work("/jobs/claim", { worker_id: "w", kinds: ["http3"] }));
    expect(await json(await work(`/jobs/${job.id}/fail`, { lease_token, error: "boom" }))).toMatchObject({
      status: "FAILED",
      error: "boom",
    });
    const other = await json(await post("/jobs/", { job_name: "unwanted", kind: "http3" }));
    expect((await json(await post(`/jobs/${other.id}/cancel`))).status).toBe("CANCELLED");
    const all = await json(await get("/jobs/?page_size=500"));
    expect(all.items.map((j: { id: number }) => j.id)).toEqual(expect.arrayContaining([job.id, other.id]));
    const failed = await json(await get("/jobs/?status=FAILED&page_size=500"));
    expect(failed.items.map((j: { id: number }) => j.id)).toContain(job.id);
    expect(failed.items.every((j: { status: string }) => j.status === "FAILED")).toBe(true);
  });

  test.each([
    ["an unknown status filter", "GET", "/jobs/?status=DONE", undefined],
    ["a create without any body", "POST", "/jobs/", undefined],
    ["a kind that is a command", "POST", "/jobs/", { job_name: "x", kind: "rm -rf /" }],
    ["max_attempts 0", "POST", "/jobs/", { job_name: "x", max_attempts: 0 }],
  ])("%s is 422", async (_, method, path, body) => {
    expect((await gw.req(method, path, { token, body })).status).toBe(422);
  });

  test.each([
    ["a claim without worker_id", "/jobs/claim", {}],
    ["a lease of an hour and a second", "/jobs/claim", { worker_id: "w", lease_seconds: 3601 }],
    [
      "a claim waiting longer than the edge allows",
      "/jobs/claim",
      { worker_id: "w", wait_ms: HTTP_CLAIM_WAIT_MS_MAX + 1 },
    ],
    ["a claim waiting a negative time", "/jobs/claim", { worker_id: "w", wait_ms: -1 }],
    ["a heartbeat without lease_token", "/jobs/1/heartbeat", {}],
    ["a heartbeat with worker_id instead of lease_token", "/jobs/1/heartbeat", { worker_id: "w" }],
    ["a complete with a lease_token that cannot be one", "/jobs/1/complete", { lease_token: "not a token!" }],
  ])("%s is 422", async (_, path, body) => {
    expect((await work(path, body)).status).toBe(422);
  });

  test("a claim with wait_ms made before the job exists returns the job created afterwards", async () => {
    const claim = work("/jobs/claim", { worker_id: "w", kinds: ["http-wait"], wait_ms: HTTP_CLAIM_WAIT_MS_MAX });
    const job = await json(await post("/jobs/", { job_name: "late", kind: "http-wait" }));
    const response = await claim;
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ id: job.id, status: "RUNNING", worker_id: "w" });
    // A wait that runs out with nothing ready is the empty answer, not an error.
    expect((await work("/jobs/claim", { worker_id: "w", kinds: ["http-wait"], wait_ms: 50 })).status).toBe(204);
  });

  test("the longest HTTP claim wait, plus room to answer, stays under the edge's route timeout", () => {
    expect(HTTP_CLAIM_WAIT_MS_MAX).toBeLessThanOrEqual(CLAIM_WAIT_MS_MAX);
    expect(HTTP_CLAIM_WAIT_MS_MAX + 1_000).toBeLessThan(DEFAULT_ROUTE_TIMEOUT_MS);
  });

  test("the worker routes need a token", async () => {
    expect((await gw.req("POST", "/jobs/claim", { body: { worker_id: "w" } })).status).toBe(401);
  });

  test("GET /jobs/{id}/watch streams one SSE event per change and ends at a final state", async () => {
    const job = await json(await post("/jobs/", { job_name: "watched", kind: "http4" }));
    const response = await get(`/jobs/${job.id}/watch`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const events: Record<string, any>[] = [];
    let buffered = "";
    const readEvent = async () => {
      while (!buffered.includes("\n\n")) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffered += new TextDecoder().decode(value);
      }
      const [chunk, ...rest] = buffered.split("\n\n");
      buffered = rest.join("\n\n");
      const event = JSON.parse(chunk!.replace(/^data: /, "")) as Record<string, any>;
      events.push(event);
      return event;
    };
    expect((await readEvent())!.status).toBe("PENDING");
    const { lease_token } = await json(await work("/jobs/claim", { worker_id: "w", kinds: ["http4"] }));
    expect((await readEvent())!.status).toBe("RUNNING");
    await work(`/jobs/${job.id}/complete`, { lease_token, result: 1 });
    expect((await readEvent())!).toMatchObject({ status: "SUCCEEDED", result: 1 });
    expect(await readEvent()).toBeUndefined();
  });

  test("watching an unknown job is a 404 problem", async () => {
    expect((await get("/jobs/987654/watch")).status).toBe(404);
  });
});

describe("pipelines over HTTP", () => {
  test("a pipeline with steps submits jobs, shows per-step status and job ids, and can be cancelled", async () => {
    const response = await post("/pipelines/", {
      pipeline_name: "etl",
      steps: [
        { name: "extract", kind: "http5", payload: { from: "s3" } },
        { name: "load", kind: "http5", depends_on: ["extract"] },
      ],
    });
    expect(response.status).toBe(201);
    const pipeline = await json(response);
    expect(pipeline.steps).toEqual([
      {
        name: "extract",
        kind: "http5",
        payload: { from: "s3" },
        depends_on: [],
        status: "PENDING",
        job_id: expect.any(Number),
        error: null,
      },
      {
        name: "load",
        kind: "http5",
        payload: null,
        depends_on: ["extract"],
        status: "WAITING",
        job_id: null,
        error: null,
      },
    ]);
    const job = await json(await get(`/jobs/${pipeline.steps[0].job_id}`));
    expect(job.payload).toEqual({ from: "s3" });

    const cancelled = await json(await post(`/pipelines/${pipeline.id}/cancel`));
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.steps.map((s: { status: string }) => s.status)).toEqual(["CANCELLED", "SKIPPED"]);
    expect((await json(await get(`/jobs/${job.id}`))).status).toBe("CANCELLED");
    expect((await post(`/pipelines/${pipeline.id}/cancel`)).status).toBe(409);
    const listed = await json(await get("/pipelines/?status=CANCELLED"));
    expect(listed.items.map((p: { id: number }) => p.id)).toContain(pipeline.id);
    expect((await json(await get("/pipelines/"))).items.map((p: { id: number }) => p.id)).toContain(pipeline.id);
    expect((await json(await get("/pipelines/?status=RUNNING"))).items.map((p: { id: number }) => p.id)).not.toContain(
      pipeline.id,
    );
  });

  test("a pipeline runs to SUCCEEDED as its jobs complete", async () => {
    const pipeline = await json(
      await post("/pipelines/", {
        pipeline_name: "two",
        steps: [
          { name: "a", kind: "http6" },
          { name: "b", kind: "http6", depends_on: ["a"] },
        ],
      }),
    );
    for (let i = 0; i < 2; i++) {
      const claimed = await eventually(
        async () => {
          const r = await work("/jobs/claim", { worker_id: "w", kinds: ["http6"] });
          return r.status === 200 ? json(r) : undefined;
        },
        15_000,
        "a step's job",
      );
      expect((await work(`/jobs/${claimed.id}/complete`, { lease_token: claimed.lease_token })).status).toBe(200);
    }
    const done = await eventually(
      async () => {
        const p = await json(await get(`/pipelines/${pipeline.id}`));
        return p.status === "SUCCEEDED" ? p : undefined;
      },
      15_000,
      "the pipeline to succeed",
    );
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  test.each([
    [
      "a cycle",
      [
        { name: "a", kind: "echo", depends_on: ["b"] },
        { name: "b", kind: "echo", depends_on: ["a"] },
      ],
    ],
    ["an unknown dependency", [{ name: "a", kind: "echo", depends_on: ["zzz"] }]],
    ["an unknown step field", [{ name: "a", kind: "echo", command: "ls" }]],
  ])("%s is 422", async (_, steps) => {
    expect((await post("/pipelines/", { pipeline_name: "bad", steps })).status).toBe(422);
  });
});
