// The worker protocol in batches through app.handle over real services, on SQLite and
// on PostgreSQL: POST /jobs/claim with max_jobs (a list; the single-job shape without it),
// POST /jobs/complete (many acknowledgements, one outcome each), and a job's own backoff.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

const json = async (response: Response) => (await response.json()) as Record<string, any>;

describe.each(TEST_BACKENDS)("batched worker routes on %s", (backend) => {
  let gw: GatewayFixture;
  let alice: string;
  let worker: string;
  beforeAll(async () => {
    gw = await startGatewayFixture({}, backend);
    alice = (await gw.account(["user"])).token;
    worker = (await gw.account(["worker"])).token;
  });
  afterAll(() => gw.close());

  const create = (kind: string, count: number, extra: object = {}) =>
    gw.req("POST", "/jobs/batch", {
      token: alice,
      body: { jobs: Array.from({ length: count }, (_, i) => ({ job_name: `${kind} ${i}`, kind, ...extra })) },
    });
  const claim = (body: object) => gw.req("POST", "/jobs/claim", { token: worker, body: { worker_id: "w", ...body } });
  const complete = (items: object[], token = worker) => gw.req("POST", "/jobs/complete", { token, body: { items } });

  test("max_jobs: a list of jobs, each with its own lease_token; an empty list when none is ready", async () => {
    await create("http-many", 3);
    const response = await claim({ kinds: ["http-many"], max_jobs: 2 });
    expect(response.status).toBe(200);
    const { items } = await json(response);
    expect(items.map((job: any) => [job.job_name, job.status])).toEqual([
      ["http-many 0", "RUNNING"],
      ["http-many 1", "RUNNING"],
    ]);
    expect(new Set(items.map((job: any) => job.lease_token)).size).toBe(2);
    // max_jobs 1 is still a list; without max_jobs the contract's single job (then 204).
    expect((await json(await claim({ kinds: ["http-many"], max_jobs: 1 }))).items).toHaveLength(1);
    expect(await json(await claim({ kinds: ["http-many"], max_jobs: 5 }))).toEqual({ items: [] });
    expect((await claim({ kinds: ["http-many"] })).status).toBe(204);
    await create("http-one", 1);
    const single = await json(await claim({ kinds: ["http-one"] }));
    expect([single.job_name, typeof single.lease_token, single.items]).toEqual(["http-one 0", "string", undefined]);
  });

  test("max_jobs out of 1..100 is 422 naming max_jobs", async () => {
    for (const max_jobs of [0, 101, 1.5]) {
      const response = await claim({ kinds: ["http-many"], max_jobs });
      expect(response.status).toBe(422);
      expect((await json(response)).errors).toEqual([{ field: "max_jobs", message: "must be between 1 and 100" }]);
    }
  });

  test("POST /jobs/complete records each item; a bad lease is that item's outcome only", async () => {
    await create("http-ack", 3, { max_attempts: 2 });
    const { items: leased } = await json(await claim({ kinds: ["http-ack"], max_jobs: 3 }));
    const [ok, failing, wrong] = leased;
    const response = await complete([
      { job_id: ok.id, lease_token: ok.lease_token, result: { n: 1 } },
      { job_id: failing.id, lease_token: failing.lease_token, error: "boom" },
      { job_id: wrong.id, lease_token: ok.lease_token },
    ]);
    expect(response.status).toBe(200);
    const { results } = await json(response);
    expect(results.map((r: any) => [r.job_id, r.outcome, r.job?.status ?? null])).toEqual([
      [ok.id, "recorded", "SUCCEEDED"],
      [failing.id, "recorded", "PENDING"],
      [wrong.id, "wrong_lease", null],
    ]);
    expect(results[0].job.result).toEqual({ n: 1 });
    expect(results[1].job.error).toBe("boom");
    expect(typeof results[2].detail).toBe("string");
    // Again: the first lease has ended.
    const again = await json(await complete([{ job_id: ok.id, lease_token: ok.lease_token }]));
    expect(again.results[0]).toMatchObject({ outcome: "stale_lease", job: { status: "SUCCEEDED" } });
    expect((await json(await complete([{ job_id: 99_999_999, lease_token: ok.lease_token }]))).results[0].outcome).toBe(
      "not_found",
    );
  });

  test("malformed items are 422 problem+json naming items.<i>.<field>; nothing is recorded", async () => {
    await create("http-ack-bad", 1);
    const [lease] = (await json(await claim({ kinds: ["http-ack-bad"], max_jobs: 1 }))).items;
    const response = await complete([
      { job_id: lease.id, lease_token: lease.lease_token },
      { job_id: 0, lease_token: "x" },
    ]);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const fields = (await json(response)).errors.map((e: any) => e.field);
    expect(fields).toContain("items.1.job_id");
    // Rules the service checks: the same job twice.
    const twice = await complete([
      { job_id: lease.id, lease_token: lease.lease_token },
      { job_id: lease.id, lease_token: lease.lease_token, error: "x" },
    ]);
    expect(twice.status).toBe(422);
    expect((await json(twice)).errors).toEqual([
      { field: "items.1.job_id", message: "must not repeat an earlier item's job" },
    ]);
    expect((await complete([])).status).toBe(422);
    const job = await json(await gw.req("GET", `/jobs/${lease.id}`, { token: alice }));
    expect(job.status).toBe("RUNNING");
  });

  test("then_claim: the acknowledgement also leases the next jobs, in `claimed`; a bad one is 422 naming it", async () => {
    await create("http-next", 3);
    const { items: leased } = await json(await claim({ kinds: ["http-next"], max_jobs: 1 }));
    const acknowledge = (items: object[], then_claim?: object) =>
      gw.req("POST", "/jobs/complete", { token: worker, body: then_claim ? { items, then_claim } : { items } });
    const first = await acknowledge([{ job_id: leased[0].id, lease_token: leased[0].lease_token, result: 1 }], {
      worker_id: "w",
      kinds: ["http-next"],
      max_jobs: 2,
    });
    expect(first.status).toBe(200);
    const body = await json(first);
    expect(body.results.map((r: any) => r.outcome)).toEqual(["recorded"]);
    expect(body.claimed.map((job: any) => [job.job_name, job.status, typeof job.lease_token])).toEqual([
      ["http-next 1", "RUNNING", "string"],
      ["http-next 2", "RUNNING", "string"],
    ]);
    // The leases work, and nothing ready is an empty list; without then_claim there is no `claimed`.
    const again = await json(
      await acknowledge(
        body.claimed.map((job: any) => ({ job_id: job.id, lease_token: job.lease_token })),
        { worker_id: "w", kinds: ["http-next"] },
      ),
    );
    expect([again.results.map((r: any) => r.outcome), again.claimed]).toEqual([["recorded", "recorded"], []]);
    await create("http-next-bad", 1);
    const { items: held } = await json(await claim({ kinds: ["http-next-bad"], max_jobs: 1 }));
    const item = { job_id: held[0].id, lease_token: held[0].lease_token };
    const refused = await acknowledge([item], { worker_id: "w", kinds: ["not a kind!"], max_jobs: 101, wait_ms: 5 });
    expect(refused.status).toBe(422);
    const fields = (await json(refused)).errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["then_claim.kinds.0", "then_claim.max_jobs"]));
    expect((await json(await gw.req("GET", `/jobs/${held[0].id}`, { token: alice }))).status).toBe("RUNNING");
    expect((await json(await acknowledge([item]))).claimed).toBeUndefined();
  });

  test("only workers acknowledge (403 for a user, 401 without a token)", async () => {
    const item = { job_id: 1, lease_token: "a".repeat(43) };
    expect((await complete([item], alice)).status).toBe(403);
    expect((await gw.req("POST", "/jobs/complete", { body: { items: [item] } })).status).toBe(401);
  });

  test("a job's own backoff is accepted, shown, and checked (422 naming backoff.<field>)", async () => {
    const created = await gw.req("POST", "/jobs/", {
      token: alice,
      body: { job_name: "own backoff", backoff: { initial_ms: 500, multiplier: 1.5 } },
    });
    expect(created.status).toBe(201);
    expect((await json(created)).backoff).toEqual({ initial_ms: 500, max_ms: null, multiplier: 1.5 });
    const plain = await json(await gw.req("POST", "/jobs/", { token: alice, body: { job_name: "plain" } }));
    expect(plain.backoff).toBeNull();
    const bad = await gw.req("POST", "/jobs/", {
      token: alice,
      body: { job_name: "bad", backoff: { initial_ms: 5_000, max_ms: 1_000 } },
    });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors).toEqual([
      { field: "backoff.max_ms", message: "must be between initial_ms and 604800000" },
    ]);
    const shape = await gw.req("POST", "/jobs/batch", {
      token: alice,
      body: { jobs: [{ job_name: "x", backoff: { multiplier: 20 } }] },
    });
    expect(shape.status).toBe(422);
    expect((await json(shape)).errors[0].field).toBe("jobs.0.backoff.multiplier");
  });
});
