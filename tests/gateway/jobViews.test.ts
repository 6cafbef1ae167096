// What the console's queue, job and schedule views read, through app.handle over real
// services, on SQLite and PostgreSQL: GET /jobs/stats per kind and queue (`by_queue`),
// GET /jobs/?kind=&queue=&status= (a malformed filter is 422 naming it), and a
// schedule's last_job_id: the job its latest firing created.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eventually } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

type Json = Record<string, any>;

describe.each(TEST_BACKENDS)("job views over HTTP on %s", (backend) => {
  let gw: GatewayFixture;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    gw = await startGatewayFixture({}, backend);
    [alice, bob] = [(await gw.account(["user"])).token, (await gw.account(["user"])).token];
  });
  afterAll(() => gw.close());

  const send = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await gw.req(method, path, { token, body });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };
  const create = async (token: string, job_name: string, kind: string, queue?: string) =>
    (await send("POST", "/jobs/", token, { job_name, kind, ...(queue ? { queue } : {}) })).body;
  const names = async (token: string, query: string) =>
    ((await send("GET", `/jobs/?${query}`, token)).body.items as Json[]).map((j) => j.job_name);

  test("GET /jobs/stats counts per kind and per kind and queue; a user's are their own", async () => {
    await create(alice, "d1", "views");
    await create(alice, "b1", "views", "bulk");
    const b2 = await create(alice, "b2", "views", "bulk");
    await create(bob, "theirs", "views", "bulk");
    expect((await send("POST", `/jobs/${b2.id}/cancel`, alice)).status).toBe(200);

    const stats = (await send("GET", "/jobs/stats", alice)).body;
    expect(stats.by_kind).toEqual([expect.objectContaining({ kind: "views", pending: 2, cancelled: 1 })]);
    expect(stats.by_kind[0].queue).toBeUndefined();
    expect(stats.by_queue).toEqual([
      {
        kind: "views",
        queue: "bulk",
        pending: 1,
        running: 0,
        succeeded: 0,
        failed: 0,
        cancelled: 1,
        oldest_pending_age_seconds: expect.any(Number),
      },
      expect.objectContaining({ kind: "views", queue: "default", pending: 1, cancelled: 0 }),
    ]);
  });

  test("GET /jobs/ filters by kind, queue and status, within the caller's own jobs", async () => {
    await create(alice, "f1", "filtered");
    await create(alice, "f2", "filtered", "slow");
    const f3 = await create(alice, "f3", "filtered", "slow");
    await create(alice, "other", "unfiltered", "slow");
    await create(bob, "bobs", "filtered", "slow");
    await send("POST", `/jobs/${f3.id}/cancel`, alice);
    expect(await names(alice, "kind=filtered")).toEqual(["f1", "f2", "f3"]);
    expect(await names(alice, "kind=filtered&queue=slow")).toEqual(["f2", "f3"]);
    expect(await names(alice, "kind=filtered&queue=slow&status=CANCELLED")).toEqual(["f3"]);
    expect(await names(alice, "queue=slow")).toEqual(["f2", "f3", "other"]);
    const first = (await send("GET", "/jobs/?kind=filtered&queue=slow&page_size=1", alice)).body;
    const next = await names(alice, `kind=filtered&queue=slow&page_size=1&page_token=${first.next_page_token}`);
    expect([first.items[0].job_name, ...next]).toEqual(["f2", "f3"]);
  });

  test.each([
    ["kind=Bad%20Kind", "kind"],
    ["queue=no%20spaces", "queue"],
  ])("GET /jobs/?%s is 422 naming the field", async (query, field) => {
    const response = await send("GET", `/jobs/?${query}`, alice);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: Json) => e.field)).toEqual([field]);
  });

  test("a schedule's last_job_id is the job its latest firing created", async () => {
    const created = await send("POST", "/schedules/", alice, {
      name: "every second",
      cron: "* * * * * *",
      job: { job_name: "ticked", kind: "ticked" },
    });
    expect(created.body.last_job_id).toBeNull();
    const id = created.body.id;
    await eventually(
      async () => ((await send("GET", `/schedules/${id}`, alice)).body.last_job_id ? true : undefined),
      15_000,
      "a firing",
    );
    const paused = (await send("POST", `/schedules/${id}/pause`, alice)).body;
    // A firing racing the pause may have created one more job without becoming the latest firing.
    const fired = ((await send("GET", "/jobs/?kind=ticked", alice)).body.items as Json[]).map((j) => j.id);
    expect(fired).toContain(paused.last_job_id);
    expect(fired.slice(fired.indexOf(paused.last_job_id)).length).toBeLessThanOrEqual(2);
    expect((await send("GET", `/jobs/${paused.last_job_id}`, alice)).body).toMatchObject({ job_name: "ticked" });
    expect((await send("GET", "/schedules/", alice)).body.items.find((s: Json) => s.id === id).last_job_id).toBe(
      paused.last_job_id,
    );
  });
});
