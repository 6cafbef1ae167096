// POST /jobs/batch (CreateJobs) through app.handle over real services, on SQLite
// and on PostgreSQL: 201 with the jobs in order, owned by the caller; all or none;
// workers 403; the route is not taken for /jobs/{id}.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

const json = async (response: Response) => (await response.json()) as Record<string, any>;

describe.each(TEST_BACKENDS)("POST /jobs/batch on %s", (backend) => {
  let gw: GatewayFixture;
  let alice: string;
  let worker: string;
  beforeAll(async () => {
    gw = await startGatewayFixture({}, backend);
    alice = (await gw.account(["user"])).token;
    worker = (await gw.account(["worker"])).token;
  });
  afterAll(() => gw.close());

  const post = (token: string, body: unknown) => gw.req("POST", "/jobs/batch", { token, body });

  test("201 with every job, in order, owned by the caller; each readable at /jobs/{id}", async () => {
    const response = await post(alice, {
      jobs: [
        { job_name: "one", kind: "batch-http", payload: { n: 1 } },
        { job_name: "two", priority: 3 },
      ],
    });
    expect(response.status).toBe(201);
    const { items } = await json(response);
    expect(items.map((job: any) => [job.job_name, job.status, job.priority])).toEqual([
      ["one", "PENDING", 0],
      ["two", "PENDING", 3],
    ]);
    const one = await json(await gw.req("GET", `/jobs/${items[0].id}`, { token: alice }));
    expect([one.job_name, one.payload]).toEqual(["one", { n: 1 }]);
  });

  test("one bad item creates none: 422 naming the item", async () => {
    const before = (await json(await gw.req("GET", "/jobs/?page_size=100", { token: alice }))).items.length;
    const response = await post(alice, {
      jobs: [{ job_name: "fine" }, { job_name: "late", run_at: "2999-01-01T00:00:00Z" }],
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect((await json(response)).errors).toEqual([
      { field: "jobs.1.run_at", message: "must be at most 366 days ahead" },
    ]);
    expect((await json(await gw.req("GET", "/jobs/?page_size=100", { token: alice }))).items.length).toBe(before);
    expect((await post(alice, { jobs: [] })).status).toBe(422);
    expect((await post(alice, { jobs: [{ kind: "no-name" }] })).status).toBe(422);
  });

  test("workers may not create jobs (403); no token is 401", async () => {
    expect((await post(worker, { jobs: [{ job_name: "x" }] })).status).toBe(403);
    expect((await gw.req("POST", "/jobs/batch", { body: { jobs: [{ job_name: "x" }] } })).status).toBe(401);
  });
});
