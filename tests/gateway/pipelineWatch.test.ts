// GET /pipelines/{id}/watch through app.handle, over real gRPC services: the
// pipeline as server-sent events until it is final, with GET /pipelines/{id}'s
// rules (another owner's pipeline is 404, workers 403, no token 401).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";
import { eventually } from "@platform/kit/testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
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
const work = (path: string, body?: unknown) => gw.req("POST", path, { token: workerToken, body });

/** Reads one `data:` event at a time; undefined once the stream has ended. */
function events(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  return async (): Promise<Record<string, any> | undefined> => {
    for (;;) {
      const end = buffered.indexOf("\n\n");
      if (end >= 0) {
        const chunk = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (chunk.startsWith(":")) continue; // keep-alive
        return JSON.parse(chunk.replace(/^data: /, "")) as Record<string, any>;
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffered += decoder.decode(value, { stream: true });
    }
  };
}

test("the owner's watch streams the pipeline as its steps run and ends once it is final", async () => {
  const created = await gw.req("POST", "/pipelines/", {
    token: user.token,
    body: {
      pipeline_name: "watched",
      steps: [
        { name: "a", kind: "pwatch1" },
        { name: "b", kind: "pwatch1", depends_on: ["a"] },
      ],
    },
  });
  expect(created.status).toBe(201);
  const pipeline = await json(created);

  const response = await gw.req("GET", `/pipelines/${pipeline.id}/watch`, { token: user.token });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const next = events(response);
  const first = (await next())!;
  expect(first).toMatchObject({ id: pipeline.id, pipeline_name: "watched", owner: user.subject });
  expect(first.steps.map((s: { name: string }) => s.name)).toEqual(["a", "b"]);

  for (let i = 0; i < 2; i++) {
    const claimed = await eventually(
      async () => {
        const r = await work("/jobs/claim", { worker_id: "w", kinds: ["pwatch1"] });
        return r.status === 200 ? json(r) : undefined;
      },
      15_000,
      "a step's job",
    );
    expect((await work(`/jobs/${claimed.id}/complete`, { lease_token: claimed.lease_token })).status).toBe(200);
  }

  const seen = [first];
  for (let event = await next(); event; event = await next()) seen.push(event);
  const last = seen.at(-1)!;
  expect(last.status).toBe("SUCCEEDED");
  expect(last.steps.map((s: { status: string }) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  // Every change, in order: step a finishes before step b does.
  const aDone = seen.findIndex((p) => p.steps[0].status === "SUCCEEDED");
  const bDone = seen.findIndex((p) => p.steps[1].status === "SUCCEEDED");
  expect(aDone).toBeGreaterThan(0);
  expect(bDone).toBeGreaterThan(aDone);
});

test("a final pipeline's watch sends it once and ends", async () => {
  const pipeline = await json(
    await gw.req("POST", "/pipelines/", {
      token: user.token,
      body: { pipeline_name: "done", steps: [{ name: "a", kind: "pwatch2" }] },
    }),
  );
  expect((await gw.req("POST", `/pipelines/${pipeline.id}/cancel`, { token: user.token })).status).toBe(200);
  const final = await eventually(
    async () => {
      const p = await json(await gw.req("GET", `/pipelines/${pipeline.id}`, { token: user.token }));
      return p.steps.every((s: { status: string }) => s.status !== "PENDING" && s.status !== "RUNNING") ? p : undefined;
    },
    15_000,
    "the cancelled pipeline to settle",
  );
  const next = events(await gw.req("GET", `/pipelines/${pipeline.id}/watch`, { token: user.token }));
  expect(await next()).toMatchObject({ id: pipeline.id, status: final.status });
  expect(await next()).toBeUndefined();
});

test("another owner's pipeline is 404, a worker 403, no token 401, an unknown id 404", async () => {
  const pipeline = await json(
    await gw.req("POST", "/pipelines/", { token: user.token, body: { pipeline_name: "private" } }),
  );
  const theirs = await gw.req("GET", `/pipelines/${pipeline.id}/watch`, { token: other.token });
  expect(theirs.status).toBe(404);
  expect(theirs.headers.get("content-type")).toContain("application/problem+json");
  expect((await gw.req("GET", `/pipelines/${pipeline.id}/watch`, { token: workerToken })).status).toBe(403);
  expect((await gw.req("GET", `/pipelines/${pipeline.id}/watch`)).status).toBe(401);
  expect((await gw.req("GET", "/pipelines/999999999/watch", { token: user.token })).status).toBe(404);
  expect((await gw.req("GET", "/pipelines/abc/watch", { token: user.token })).status).toBe(422);
});
