// GET /pipelines/{id}/watch through app.handle, over real gRPC services: the
// pipeline as server-sent events until it is final, with GET /pipelines/{id}'s
// rules (another owner's pipeline is 404, workers 403, no token 401). Read with the
// typed client, whose stream reader the CLI and the console use too.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type Pipeline, streamEvents, unwrap } from "@platform/client";
import { eventually } from "@platform/kit/testing";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

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

const watch = (token: string, id: number) => gw.api(token).pipelines({ id }).watch.get();
/** The stream's events one at a time; undefined once it has ended. */
const events = (stream: AsyncGenerator<Pipeline>) => async () => (await stream.next()).value as Pipeline | undefined;

test("the owner's watch streams the pipeline as its steps run and ends once it is final", async () => {
  const pipeline = await unwrap(
    gw.api(user.token).pipelines.post({
      pipeline_name: "watched",
      steps: [
        { name: "a", kind: "pwatch1" },
        { name: "b", kind: "pwatch1", depends_on: ["a"] },
      ],
    }),
  );

  const opened = watch(user.token, pipeline.id);
  const { status, response } = await opened;
  expect(status).toBe(200);
  expect(response?.headers.get("content-type")).toBe("text/event-stream");
  const next = events(streamEvents<Pipeline>(opened));
  const first = (await next())!;
  expect(first).toMatchObject({ id: pipeline.id, pipeline_name: "watched", owner: user.subject });
  expect(first.steps.map((s) => s.name)).toEqual(["a", "b"]);

  const worker = gw.api(workerToken);
  for (let i = 0; i < 2; i++) {
    const claimed = await eventually(
      async () => {
        const r = await worker.jobs.claim.post({ worker_id: "w", kinds: ["pwatch1"] });
        // 204 (nothing to claim) is a bare Response in the route's type; without max_jobs the answer is one job.
        return r.status === 200 && r.data && !(r.data instanceof Response) && "id" in r.data ? r.data : undefined;
      },
      15_000,
      "a step's job",
    );
    await unwrap(worker.jobs({ id: claimed.id }).complete.post({ lease_token: claimed.lease_token }));
  }

  const seen = [first];
  for (let event = await next(); event; event = await next()) seen.push(event);
  const last = seen.at(-1)!;
  expect(last.status).toBe("SUCCEEDED");
  expect(last.steps.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  // Every change, in order: step a finishes before step b does.
  const aDone = seen.findIndex((p) => p.steps[0]!.status === "SUCCEEDED");
  const bDone = seen.findIndex((p) => p.steps[1]!.status === "SUCCEEDED");
  expect(aDone).toBeGreaterThan(0);
  expect(bDone).toBeGreaterThan(aDone);
});

test("a final pipeline's watch sends it once and ends", async () => {
  const api = gw.api(user.token);
  const { id } = await unwrap(api.pipelines.post({ pipeline_name: "done", steps: [{ name: "a", kind: "pwatch2" }] }));
  await unwrap(api.pipelines({ id }).cancel.post());
  const final = await eventually(
    async () => {
      const p = await unwrap(api.pipelines({ id }).get());
      return p.steps.every((s) => s.status !== "PENDING" && s.status !== "RUNNING") ? p : undefined;
    },
    15_000,
    "the cancelled pipeline to settle",
  );
  const next = events(streamEvents<Pipeline>(watch(user.token, id)));
  expect(await next()).toMatchObject({ id, status: final.status });
  expect(await next()).toBeUndefined();
});

test("another owner's pipeline is 404, a worker 403, no token 401, an unknown id 404", async () => {
  const { id } = await unwrap(gw.api(user.token).pipelines.post({ pipeline_name: "private" }));
  const theirs = await watch(other.token, id);
  expect(theirs.status).toBe(404);
  expect(theirs.response?.headers.get("content-type")).toContain("application/problem+json");
  expect((await watch(workerToken, id)).status).toBe(403);
  expect((await gw.api().pipelines({ id }).watch.get()).status).toBe(401);
  expect((await watch(user.token, 999999999)).status).toBe(404);
  // Not an id: sent raw, as the typed client would not.
  expect((await gw.req("GET", "/pipelines/abc/watch", { token: user.token })).status).toBe(422);
});
