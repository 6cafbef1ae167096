// GET /jobs/stats through app.handle over real services: counts by status and
// per kind, a user's own jobs only, everyone's for an admin, 403 for a worker,
// 401 without a token; "/jobs/stats" is never read as a job id.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type JobStats, unwrap } from "@platform/client";
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

const kindOf = (stats: JobStats, kind: string) => stats.by_kind.find((k) => k.kind === kind);
const submit = (token: string, job_name: string, kind?: string) =>
  unwrap(gw.api(token).jobs.post(kind ? { job_name, kind } : { job_name }));
const statsOf = (token: string) => unwrap(gw.api(token).jobs.stats.get());

describe("GET /jobs/stats", () => {
  test("a user's counts are their own, per kind and by status; an admin's are everyone's", async () => {
    for (const kind of ["stats-a", "stats-a", "stats-b"]) await submit(alice, "mine", kind);
    const theirs = await submit(bob, "theirs", "stats-a");
    expect((await gw.api(bob).jobs({ id: theirs.id }).cancel.post()).status).toBe(200);

    const mine = await statsOf(alice);
    expect(mine.by_status).toEqual({ PENDING: 3, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0 });
    expect(mine.by_kind.map((k) => k.kind)).toEqual(["stats-a", "stats-b"]);
    expect(kindOf(mine, "stats-a")).toMatchObject({ pending: 2, running: 0, cancelled: 0 });
    expect(kindOf(mine, "stats-a")!.oldest_pending_age_seconds).toBeGreaterThanOrEqual(0);

    const bobs = await statsOf(bob);
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

    const everyone = await statsOf(admin);
    expect(kindOf(everyone, "stats-a")).toMatchObject({ pending: 2, cancelled: 1 });
    expect(everyone.by_status.PENDING).toBeGreaterThanOrEqual(3);
  });

  test("a worker gets 403, no token 401", async () => {
    await expect(statsOf(worker)).rejects.toMatchObject({
      status: 403,
      problem: { type: expect.stringContaining("forbidden") },
    });
    expect((await gw.api().jobs.stats.get()).status).toBe(401);
  });

  test("job ids still route to GetJob", async () => {
    const job = await submit(alice, "routed");
    expect((await unwrap(gw.api(alice).jobs({ id: job.id }).get())).job_name).toBe("routed");
    // Not an id: sent raw, as the typed client would not.
    expect((await gw.req("GET", "/jobs/statsx", { token: alice })).status).toBe(422);
  });
});
