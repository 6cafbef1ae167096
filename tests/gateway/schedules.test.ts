// /schedules through app.handle over real services, on SQLite and PostgreSQL:
// create (201, Location, next run), read, list, pause, resume, delete (204);
// bad cron and time zone are 422 naming the field; a user sees only their own
// schedules (another's is 404), an admin everyone's, a worker gets 403, no token 401.
// A schedule that fires every second creates jobs the owner sees under /jobs.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eventually } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

type Json = Record<string, any>;

describe.each(TEST_BACKENDS)("/schedules on %s", (backend) => {
  let gw: GatewayFixture;
  let admin: string;
  let alice: string;
  let bob: string;
  let worker: string;
  beforeAll(async () => {
    gw = await startGatewayFixture({}, backend);
    admin = await gw.login();
    [alice, bob] = [(await gw.account(["user"])).token, (await gw.account(["user"])).token];
    worker = (await gw.account(["worker"])).token;
  });
  afterAll(() => gw.close());

  const send = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const response = await gw.req(method, path, token === undefined ? { body } : { token, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : null) as Json,
    };
  };
  const nightly = {
    name: "nightly report",
    cron: "30 2 * * *",
    time_zone: "Europe/Berlin",
    job: { job_name: "report", kind: "report", payload: { full: true }, max_attempts: 2 },
  };

  test("create, read, list, pause, resume and delete", async () => {
    const created = await send("POST", "/schedules/", alice, nightly);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/schedules/${created.body.id}`);
    expect(created.body).toMatchObject({
      ...nightly,
      paused: false,
      last_run_at: null,
    });
    expect(typeof created.body.next_run_at).toBe("string");
    const id = created.body.id;
    expect((await send("GET", `/schedules/${id}`, alice)).body).toEqual(created.body);
    expect((await send("GET", "/schedules/", alice)).body.items.map((s: Json) => s.id)).toEqual([id]);

    const paused = await send("POST", `/schedules/${id}/pause`, alice);
    expect([paused.status, paused.body.paused, paused.body.next_run_at]).toEqual([200, true, null]);
    const again = await send("POST", `/schedules/${id}/pause`, alice);
    expect([again.status, again.headers.get("content-type")]).toEqual([409, "application/problem+json"]);
    const resumed = await send("POST", `/schedules/${id}/resume`, alice);
    expect([resumed.status, resumed.body.paused]).toEqual([200, false]);
    expect(typeof resumed.body.next_run_at).toBe("string");

    const deleted = await send("DELETE", `/schedules/${id}`, alice);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect((await send("GET", `/schedules/${id}`, alice)).status).toBe(404);
    expect((await send("DELETE", `/schedules/${id}`, alice)).status).toBe(404);
  });

  test.each([
    ["a bad cron expression", { cron: "whenever" }, "cron"],
    ["an unknown time zone", { time_zone: "Atlantis/Capital" }, "time_zone"],
  ])("%s is 422 naming the field", async (_, fields, field) => {
    const response = await send("POST", "/schedules/", alice, { ...nightly, ...fields });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body.detail).toContain(field);
  });

  test("a body with unknown fields or no job template is 422", async () => {
    expect((await send("POST", "/schedules/", alice, { ...nightly, extra: 1 })).status).toBe(422);
    expect((await send("POST", "/schedules/", alice, { name: "x", cron: "* * * * *" })).status).toBe(422);
  });

  test("another user's schedule is 404 to every route; an admin sees and changes everyone's", async () => {
    const bobs = (await send("POST", "/schedules/", bob, nightly)).body;
    for (const [method, path] of [
      ["GET", `/schedules/${bobs.id}`],
      ["POST", `/schedules/${bobs.id}/pause`],
      ["POST", `/schedules/${bobs.id}/resume`],
      ["DELETE", `/schedules/${bobs.id}`],
    ] as const)
      expect((await send(method, path, alice)).status).toBe(404);
    expect((await send("GET", "/schedules/", alice)).body.items.some((s: Json) => s.id === bobs.id)).toBe(false);
    expect((await send("GET", "/schedules/", admin)).body.items.some((s: Json) => s.id === bobs.id)).toBe(true);
    expect((await send("POST", `/schedules/${bobs.id}/pause`, admin)).status).toBe(200);
    expect((await send("DELETE", `/schedules/${bobs.id}`, admin)).status).toBe(204);
  });

  test("a worker gets 403 on every route, no token 401", async () => {
    const mine = (await send("POST", "/schedules/", alice, nightly)).body;
    for (const [method, path, body] of [
      ["POST", "/schedules/", nightly],
      ["GET", "/schedules/", undefined],
      ["GET", `/schedules/${mine.id}`, undefined],
      ["POST", `/schedules/${mine.id}/pause`, undefined],
      ["POST", `/schedules/${mine.id}/resume`, undefined],
      ["DELETE", `/schedules/${mine.id}`, undefined],
    ] as const) {
      const forbidden = await send(method, path, worker, body);
      expect([forbidden.status, forbidden.body.type]).toEqual([403, "urn:problem-type:forbidden"]);
      expect((await send(method, path, undefined, body)).status).toBe(401);
    }
  });

  test("a schedule firing every second creates jobs its owner sees under /jobs", async () => {
    const every = (
      await send("POST", "/schedules/", bob, {
        name: "every second",
        cron: "* * * * * *",
        job: { job_name: "scheduled", kind: "scheduled" },
      })
    ).body;
    await eventually(
      async () => {
        const jobs = (await send("GET", "/jobs/", bob)).body.items as Json[];
        return jobs.some((j) => j.job_name === "scheduled") ? true : undefined;
      },
      15_000,
      "a scheduled job",
    );
    expect((await send("POST", `/schedules/${every.id}/pause`, bob)).status).toBe(200);
    const fired = (await send("GET", `/schedules/${every.id}`, bob)).body;
    expect(typeof fired.last_run_at).toBe("string");
  });
});
