// Pipelines that carry data through the gateway (app.handle over real gRPC
// services): parameters in and out, 422s naming the field for bad parameters
// and bad templates, POST /pipelines/{id}/retry (409 in the wrong state, the
// owner rule, workers 403) and POST /pipelines/{id}/rerun (201, overrides,
// Location). The tests play the worker through the HTTP worker protocol.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eventually } from "@platform/kit/testing";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

let gw: GatewayFixture;
let user: { token: string; subject: string };
let other: { token: string; subject: string };
let workerToken: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  user = await gw.account(["user"]);
  other = await gw.account(["user"]);
  workerToken = (await gw.account(["worker"])).token;
});
afterAll(() => gw.close());

const json = async (response: Response) => (await response.json()) as Record<string, any>;
const post = (path: string, body?: unknown, token = user.token) => gw.req("POST", path, { token, body });
const get = async (id: number) => json(await gw.req("GET", `/pipelines/${id}`, { token: user.token }));
/** Claims one job of `kind` over HTTP and completes it with `result` (or fails it). */
async function work(kind: string, outcome: { result: unknown } | "fail") {
  const job = await eventually(
    async () => {
      const r = await post("/jobs/claim", { worker_id: "w", kinds: [kind] }, workerToken);
      return r.status === 200 ? json(r) : undefined;
    },
    15_000,
    `a ${kind} job`,
  );
  const done =
    outcome === "fail"
      ? await post(`/jobs/${job.id}/fail`, { lease_token: job.lease_token, error: "it broke" }, workerToken)
      : await post(`/jobs/${job.id}/complete`, { lease_token: job.lease_token, result: outcome.result }, workerToken);
  expect(done.status).toBe(200);
  return job;
}
const untilStatus = (id: number, status: string) =>
  eventually(
    async () => {
      const p = await get(id);
      const settled = p.steps.every((s: { status: string }) => !["WAITING", "PENDING", "RUNNING"].includes(s.status));
      return p.status === status && settled ? p : undefined;
    },
    15_000,
    `pipeline ${id} to be ${status}`,
  );

describe("parameters and templates", () => {
  test("parameters come back on create, get and list; none is {}", async () => {
    const created = await post("/pipelines/", { pipeline_name: "p", parameters: { region: "eu", n: [1, 2] } });
    expect(created.status).toBe(201);
    const body = await json(created);
    expect(body).toMatchObject({ parameters: { region: "eu", n: [1, 2] }, retries: 0, rerun_of: null });
    expect((await get(body.id)).parameters).toEqual({ region: "eu", n: [1, 2] });
    const list = await json(await gw.req("GET", "/pipelines/?page_size=100", { token: user.token }));
    expect(list.items.find((p: { id: number }) => p.id === body.id).parameters).toEqual({ region: "eu", n: [1, 2] });
    expect((await json(await post("/pipelines/", { pipeline_name: "q" }))).parameters).toEqual({});
  });

  test("parameters that are not an object are 422 naming parameters; too large a body is 413", async () => {
    for (const bad of [[1], "x", 3, null]) {
      const response = await post("/pipelines/", { pipeline_name: "p", parameters: bad });
      expect(response.status).toBe(422);
      const problem = await json(response);
      expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(["parameters"]);
    }
    // Past the body limit, the gateway refuses first (the service's own 64 KiB cap is tested beside it).
    expect((await post("/pipelines/", { pipeline_name: "p", parameters: { x: "y".repeat(65_536) } })).status).toBe(413);
  });

  test("a template over a step that is not a dependency is 422 naming the step's payload", async () => {
    const response = await post("/pipelines/", {
      pipeline_name: "p",
      steps: [
        { name: "a", kind: "gwdata" },
        { name: "b", kind: "gwdata", payload: { v: "{{ steps.a.result.v }}" } },
      ],
    });
    expect(response.status).toBe(422);
    expect((await json(response)).errors).toEqual([
      {
        field: "steps.1.payload",
        message: "{{ steps.a.result.v }}: step b does not depend on a (add it to depends_on)",
      },
    ]);
  });
});

describe("retry and rerun", () => {
  test("a failed step is retried and the pipeline continues; then it is re-run with an override", async () => {
    const created = await json(
      await post("/pipelines/", {
        pipeline_name: "carry",
        parameters: { greeting: "hi", times: 1 },
        steps: [
          { name: "a", kind: "gwretry" },
          {
            name: "b",
            kind: "gwretry",
            depends_on: ["a"],
            payload: { say: "{{ params.greeting }} {{ steps.a.result.who }}" },
          },
        ],
      }),
    );
    await work("gwretry", { result: { who: "ann" } });
    for (let i = 0; i < 3; i++) await work("gwretry", "fail");
    const failed = await untilStatus(created.id, "FAILED");
    expect(failed.steps[1]).toMatchObject({ status: "FAILED", error: "it broke" });

    const retried = await post(`/pipelines/${created.id}/retry`);
    expect(retried.status).toBe(200);
    expect(await json(retried)).toMatchObject({ status: "RUNNING", retries: 1 });
    const b = await work("gwretry", { result: "ok" });
    expect(b.payload).toEqual({ say: "hi ann" });
    await untilStatus(created.id, "SUCCEEDED");

    const again = await post(`/pipelines/${created.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect((await json(again)).grpc_code).toBe("FAILED_PRECONDITION");

    const rerun = await post(`/pipelines/${created.id}/rerun`, { parameters: { greeting: "hello" } });
    expect(rerun.status).toBe(201);
    const copy = await json(rerun);
    expect(rerun.headers.get("location")).toBe(`/pipelines/${copy.id}`);
    expect(copy).toMatchObject({
      pipeline_name: "carry",
      rerun_of: created.id,
      owner: user.subject,
      parameters: { greeting: "hello", times: 1 },
    });
    await work("gwretry", { result: { who: "bob" } });
    expect((await work("gwretry", { result: 1 })).payload).toEqual({ say: "hello bob" });
    await untilStatus(copy.id, "SUCCEEDED");
  });

  test("rerun without a body copies the parameters as they are", async () => {
    const source = await json(await post("/pipelines/", { pipeline_name: "plain", parameters: { a: 1 } }));
    const rerun = await gw.req("POST", `/pipelines/${source.id}/rerun`, { token: user.token });
    expect(rerun.status).toBe(201);
    expect((await json(rerun)).parameters).toEqual({ a: 1 });
    const bad = await post(`/pipelines/${source.id}/rerun`, { parameters: [1] });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors.map((e: { field: string }) => e.field)).toEqual(["parameters"]);
    for (const body of ['"text"', "[]", "null", "5"]) {
      const notObject = await post(`/pipelines/${source.id}/rerun`, body);
      expect(notObject.status).toBe(422);
      expect((await json(notObject)).errors).toEqual([{ field: "body", message: "must be a JSON object" }]);
    }
  });

  test("another owner's pipeline is 404, a worker 403, no token 401, a bad id 422", async () => {
    const mine = await json(await post("/pipelines/", { pipeline_name: "mine" }));
    for (const action of ["retry", "rerun"]) {
      expect((await post(`/pipelines/${mine.id}/${action}`, undefined, other.token)).status).toBe(404);
      expect((await post(`/pipelines/${mine.id}/${action}`, undefined, workerToken)).status).toBe(403);
      expect((await gw.req("POST", `/pipelines/${mine.id}/${action}`)).status).toBe(401);
      expect((await post(`/pipelines/abc/${action}`)).status).toBe(422);
    }
    // A pipeline without steps is PENDING: not retryable.
    expect((await post(`/pipelines/${mine.id}/retry`)).status).toBe(409);
  });
});
