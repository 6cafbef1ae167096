// Priorities, queues, run_at, expires_at and timeout_seconds over HTTP (POST /jobs/, GET
// /jobs/{id}, POST /jobs/claim), through app.handle over real services, on
// SQLite and on PostgreSQL: the fields are accepted and shown, claims follow
// priority and queues, and bad values are 422 naming the field.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

const json = async (response: Response) => (await response.json()) as Record<string, any>;

describe.each(TEST_BACKENDS)("priorities and queues over HTTP on %s", (backend) => {
  let gw: GatewayFixture;
  let alice: string;
  let worker: string;
  beforeAll(async () => {
    gw = await startGatewayFixture({}, backend);
    alice = (await gw.account(["user"])).token;
    worker = (await gw.account(["worker"])).token;
  });
  afterAll(() => gw.close());

  const post = (token: string, path: string, body?: unknown) => gw.req("POST", path, { token, body });
  const claim = async (body: Record<string, unknown>) => {
    const response = await post(worker, "/jobs/claim", { worker_id: "w", ...body });
    return response.status === 204 ? null : await json(response);
  };

  test("POST /jobs/ accepts priority, queue, run_at and expires_at, and GET shows them", async () => {
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const expiresAt = new Date(Date.now() + 7_200_000).toISOString();
    const created = await post(alice, "/jobs/", {
      job_name: "later",
      kind: "http-q",
      priority: 7,
      queue: "reports",
      run_at: runAt,
      expires_at: expiresAt,
      timeout_seconds: 90,
    });
    expect(created.status).toBe(201);
    const job = await json(created);
    expect(job).toMatchObject({ priority: 7, queue: "reports", run_after: runAt, expires_at: expiresAt });
    const shown = await json(await gw.req("GET", `/jobs/${job.id}`, { token: alice }));
    expect(shown).toMatchObject({
      priority: 7,
      queue: "reports",
      run_after: runAt,
      expires_at: expiresAt,
      timeout_seconds: 90,
      run_deadline: null,
    });
    // Not due for an hour: not claimable now.
    expect(await claim({ kinds: ["http-q"] })).toBeNull();
    const plain = await json(await post(alice, "/jobs/", { job_name: "plain", kind: "http-q" }));
    expect(plain).toMatchObject({ priority: 0, queue: "default", expires_at: null, timeout_seconds: null });
  });

  test("POST /jobs/claim takes the highest priority first, and only the queues asked for", async () => {
    const ids: Record<string, number> = {};
    for (const [name, priority, queue] of [
      ["low", 0, "web"],
      ["high", 5, "web"],
      ["batch", 9, "batch"],
    ] as const)
      ids[name] = (await json(await post(alice, "/jobs/", { job_name: name, kind: "http-prio", priority, queue }))).id;
    expect((await claim({ kinds: ["http-prio"], queues: ["web"] }))?.id).toBe(ids.high);
    expect((await claim({ kinds: ["http-prio"], queues: ["web"] }))?.id).toBe(ids.low);
    expect(await claim({ kinds: ["http-prio"], queues: ["web"] })).toBeNull();
    expect((await claim({ kinds: ["http-prio"] }))?.id).toBe(ids.batch);
  });

  test("bad values are 422 problems naming the field", async () => {
    const fieldOf = async (body: Record<string, unknown>, path = "/jobs/", token = alice) => {
      const response = await post(token, path, body);
      expect(response.status).toBe(422);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      return ((await json(response)).errors as { field: string }[]).map((e) => e.field);
    };
    const job = { job_name: "bad", kind: "http-bad" };
    expect(await fieldOf({ ...job, priority: 1001 })).toEqual(["priority"]);
    expect(await fieldOf({ ...job, priority: "high" })).toEqual(["priority"]);
    expect(await fieldOf({ ...job, queue: "No Spaces" })).toEqual(["queue"]);
    expect(await fieldOf({ ...job, timeout_seconds: -1 })).toEqual(["timeout_seconds"]);
    expect(await fieldOf({ ...job, run_at: "tomorrow" })).toEqual(["run_at"]);
    expect(await fieldOf({ ...job, expires_at: "2030-13-45T00:00:00Z" })).toEqual(["expires_at"]);
    // Checked by the jobs service: too far ahead, and an expiry before the run.
    const farAhead = new Date(Date.now() + 400 * 24 * 3_600_000).toISOString();
    expect(await fieldOf({ ...job, run_at: farAhead })).toEqual(["run_at"]);
    const runAt = new Date(Date.now() + 60_000).toISOString();
    const before = new Date(Date.now() + 30_000).toISOString();
    expect(await fieldOf({ ...job, run_at: runAt, expires_at: before })).toEqual(["expires_at"]);
    expect(await fieldOf({ worker_id: "w", queues: ["Bad"] }, "/jobs/claim", worker)).toEqual(["queues.0"]);
  });
});
