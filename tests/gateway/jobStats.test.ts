// GET /jobs/stats through app.handle over real services: counts by status and
// per kind, a user's own jobs only, everyone's for an admin, 403 for a worker,
// 401 without a token; "/jobs/stats" is never read as a job id.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

let gw: GatewayFixture;
let admin: string;
let alice: string;
let bob: string;
let worker: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  admin = await gw.login();
  [alice, bob] = [(await gw.account(["user"])).token, (await gw.account(["user"])).token];
  worker = (await gw.account(["worker"])).token;
});
afterAll(() => gw.close());

type Json = Record<string, any>;
const send = async (method: string, path: string, token: string | undefined, body?: unknown) => {
  const response = await gw.req(method, path, token === undefined ? { body } : { token, body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
};
const kindOf = (stats: Json, kind: string) => stats.by_kind.find((k: Json) => k.kind === kind);

describe("GET /jobs/stats", () => {
  test("a user's counts are their own, per kind and by status; an admin's are everyone's", async () => {
    for (const kind of ["stats-a", "stats-a", "stats-b"]) {
      expect((await send("POST", "/jobs/", alice, { job_name: "mine", kind })).status).toBe(201);
    }
    const theirs = (await send("POST", "/jobs/", bob, { job_name: "theirs", kind: "stats-a" })).body;
    expect((await send("POST", `/jobs/${theirs.id}/cancel`, bob)).status).toBe(200);

    const mine = await send("GET", "/jobs/stats", alice);
    expect(mine.status).toBe(200);
    expect(mine.body.by_status).toEqual({ PENDING: 3, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0 });
    expect(mine.body.by_kind.map((k: Json) => k.kind)).toEqual(["stats-a", "stats-b"]);
    expect(kindOf(mine.body, "stats-a")).toMatchObject({ pending: 2, running: 0, cancelled: 0 });
    expect(kindOf(mine.body, "stats-a").oldest_pending_age_seconds).toBeGreaterThanOrEqual(0);

    const bobs = (await send("GET", "/jobs/stats", bob)).body;
    expect(bobs.by_kind).toEqual([
      {
        kind: "stats-a",
        pending: 0,
        running: 0,
        succeeded: 0,
        failed: 0,
        cancelled: 1,
        oldest_pending_age_seconds: null,
      },
    ]);

    const everyone = (await send("GET", "/jobs/stats", admin)).body;
    expect(kindOf(everyone, "stats-a")).toMatchObject({ pending: 2, cancelled: 1 });
    expect(everyone.by_status.PENDING).toBeGreaterThanOrEqual(3);
  });

  test("a worker gets 403, no token 401", async () => {
    const forbidden = await send("GET", "/jobs/stats", worker);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.type).toContain("forbidden");
    expect((await send("GET", "/jobs/stats", undefined)).status).toBe(401);
  });

  test("job ids still route to GetJob", async () => {
    const job = (await send("POST", "/jobs/", alice, { job_name: "routed" })).body;
    expect((await send("GET", `/jobs/${job.id}`, alice)).body.job_name).toBe("routed");
    expect((await send("GET", "/jobs/statsx", alice)).status).toBe(422);
  });
});
