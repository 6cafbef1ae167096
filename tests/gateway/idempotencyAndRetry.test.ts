// Idempotency-Key on POST /jobs/ and POST /pipelines/, and re-running jobs
// (POST /jobs/{id}/retry, POST /jobs/retry), through app.handle over real
// services, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

const json = async (response: Response) => (await response.json()) as Record<string, any>;

describe.each(TEST_BACKENDS)("on %s", (backend) => {
  let gw: GatewayFixture;
  let admin: string;
  let alice: string;
  let bob: string;
  let worker: string;
  beforeAll(async () => {
    gw = await startGatewayFixture({}, backend);
    admin = await gw.login();
    alice = (await gw.account(["user"])).token;
    bob = (await gw.account(["user"])).token;
    worker = (await gw.account(["worker"])).token;
  });
  afterAll(() => gw.close());

  const post = (token: string, path: string, body?: unknown, key?: string) =>
    gw.req("POST", path, { token, body, headers: key === undefined ? {} : { "idempotency-key": key } });
  const claim = async (kind: string) => {
    const response = await post(worker, "/jobs/claim", { worker_id: "w", kinds: [kind] });
    return response.status === 204 ? null : await json(response);
  };
  const failedJob = async (kind: string, token = alice) => {
    const job = await json(await post(token, "/jobs/", { job_name: "dead", kind, max_attempts: 1 }));
    const lease = (await claim(kind))!;
    const failed = await json(
      await post(worker, `/jobs/${job.id}/fail`, { lease_token: lease.lease_token, error: "boom" }),
    );
    expect(failed.status).toBe("FAILED");
    return job;
  };

  describe("Idempotency-Key", () => {
    test("POST /jobs/: 201 first, 200 with the same job on a replay, 422 for another body, per owner", async () => {
      const body = { job_name: "charge", kind: "idem-http", payload: { cents: 100 } };
      const first = await post(alice, "/jobs/", body, "order-17");
      expect(first.status).toBe(201);
      const job = await json(first);
      const replay = await post(alice, "/jobs/", body, "order-17");
      expect(replay.status).toBe(200);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect((await json(replay)).id).toBe(job.id);
      const other = await post(alice, "/jobs/", { ...body, payload: { cents: 200 } }, "order-17");
      expect(other.status).toBe(422);
      expect(other.headers.get("content-type")).toContain("application/problem+json");
      expect((await json(other)).errors).toEqual([
        { field: "Idempotency-Key", message: "was used with a different request body" },
      ]);
      const bobs = await post(bob, "/jobs/", body, "order-17");
      expect(bobs.status).toBe(201);
      expect((await json(bobs)).id).not.toBe(job.id);
      // Without the header, every POST creates.
      expect((await json(await post(alice, "/jobs/", body))).id).not.toBe(job.id);
    });

    test("POST /pipelines/: 201, then 200 with the same pipeline, 422 for another body, per owner", async () => {
      const body = { pipeline_name: "etl", steps: [{ name: "a", kind: "idem-pipe" }] };
      const first = await post(alice, "/pipelines/", body, "etl-1");
      expect(first.status).toBe(201);
      const pipeline = await json(first);
      const replay = await post(alice, "/pipelines/", body, "etl-1");
      expect(replay.status).toBe(200);
      expect((await json(replay)).id).toBe(pipeline.id);
      const other = await post(alice, "/pipelines/", { ...body, pipeline_name: "etl2" }, "etl-1");
      expect(other.status).toBe(422);
      expect((await json(other)).errors[0].field).toBe("Idempotency-Key");
      const bobs = await post(bob, "/pipelines/", body, "etl-1");
      expect(bobs.status).toBe(201);
      expect((await json(bobs)).id).not.toBe(pipeline.id);
    });

    test("a malformed key is 422 naming the header, and nothing is created", async () => {
      for (const key of ["two words", "x".repeat(201), ""]) {
        const response = await post(alice, "/jobs/", { job_name: "bad key", kind: "idem-bad" }, key);
        expect(response.status).toBe(422);
        expect((await json(response)).errors).toEqual([
          { field: "Idempotency-Key", message: "must be 1 to 200 printable ASCII characters" },
        ]);
      }
      expect(await claim("idem-bad")).toBeNull();
    });
  });

  describe("retry", () => {
    test("a FAILED job runs again; SUCCEEDED, PENDING and RUNNING are 409; another owner's is 404; workers 403", async () => {
      const job = await failedJob("retry-http1");
      const retried = await post(alice, `/jobs/${job.id}/retry`);
      expect(retried.status).toBe(200);
      expect(await json(retried)).toMatchObject({ id: job.id, status: "PENDING", attempts: 0, error: "boom" });
      expect((await post(alice, `/jobs/${job.id}/retry`)).status).toBe(409); // PENDING
      const lease = (await claim("retry-http1"))!;
      expect(lease).toMatchObject({ id: job.id, attempts: 1 });
      expect((await post(alice, `/jobs/${job.id}/retry`)).status).toBe(409); // RUNNING
      await post(worker, `/jobs/${job.id}/complete`, { lease_token: lease.lease_token });
      const succeeded = await post(alice, `/jobs/${job.id}/retry`);
      expect(succeeded.status).toBe(409);
      expect((await json(succeeded)).grpc_code).toBe("FAILED_PRECONDITION");
      const bobsView = await failedJob("retry-http2");
      expect((await post(bob, `/jobs/${bobsView.id}/retry`)).status).toBe(404);
      expect((await post(worker, `/jobs/${bobsView.id}/retry`)).status).toBe(403);
      expect((await post(admin, `/jobs/${bobsView.id}/retry`)).status).toBe(200);
    });

    test("a CANCELLED job runs again", async () => {
      const job = await json(await post(alice, "/jobs/", { job_name: "c", kind: "retry-http3" }));
      expect((await post(alice, `/jobs/${job.id}/cancel`)).status).toBe(200);
      expect((await json(await post(alice, `/jobs/${job.id}/retry`))).status).toBe("PENDING");
      expect(await claim("retry-http3")).toMatchObject({ id: job.id, status: "RUNNING" });
    });

    test("POST /jobs/retry reports each id; FAILED is the dead-letter list", async () => {
      const failed = await failedJob("retry-http4");
      const pending = await json(await post(alice, "/jobs/", { job_name: "p", kind: "retry-http4" }));
      const bobs = await failedJob("retry-http5", bob);
      const deadLetter = await json(await gw.req("GET", "/jobs/?status=FAILED&page_size=100", { token: alice }));
      expect(deadLetter.items.map((j: { id: number }) => j.id)).toContain(failed.id);
      const response = await post(alice, "/jobs/retry", { ids: [failed.id, pending.id, bobs.id, 999999] });
      expect(response.status).toBe(200);
      const { results } = await json(response);
      expect(results.map((r: { id: number; outcome: string }) => [r.id, r.outcome])).toEqual([
        [failed.id, "retried"],
        [pending.id, "not_retryable"],
        [bobs.id, "not_found"],
        [999999, "not_found"],
      ]);
      expect(results[0].job.status).toBe("PENDING");
      expect(results[1].detail).toContain("PENDING");
      expect(results[2].job).toBeUndefined();
      // Claimable again; due from the retry, so behind the job that has been PENDING since before it.
      expect([(await claim("retry-http4"))?.id, (await claim("retry-http4"))?.id]).toEqual([pending.id, failed.id]);
      expect((await post(alice, "/jobs/retry", { ids: [] })).status).toBe(422);
      expect((await post(alice, "/jobs/retry", { ids: Array.from({ length: 101 }, (_, i) => i + 1) })).status).toBe(
        422,
      );
      expect((await post(worker, "/jobs/retry", { ids: [failed.id] })).status).toBe(403);
    });
  });
});
