// Idempotency keys and RetryJob over a real gRPC server, on SQLite and on PostgreSQL.
// Tests keep out of each other's way by claiming only their own job kinds.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { grpcError } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startJobsFixture, type JobsFixture } from "./testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("jobs service on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs.stop());

  const code = async (promise: Promise<unknown>) => (await grpcError(promise)).code;

  describe("idempotency keys bind the request", () => {
    test("a replay returns the first job, marked as a replay; another request under the key is INVALID_ARGUMENT", async () => {
      const request = { job_name: "idem", kind: "idem2", payload: '{"a":1}', idempotency_key: "req-1" };
      const first = await jobs.create(request);
      expect(first.idempotent_replay).toBe(false);
      const again = await jobs.create(request);
      expect(again).toMatchObject({ id: first.id, idempotent_replay: true });
      // Defaults count as sent: max_attempts 0 is 3.
      expect((await jobs.create({ ...request, max_attempts: 3 })).id).toBe(first.id);
      for (const changed of [{ payload: '{"a":2}' }, { job_name: "other" }, { kind: "idem3" }, { max_attempts: 5 }]) {
        const error = await grpcError(jobs.create({ ...request, ...changed }));
        expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(error.details).toBe("idempotency_key: was used with a different request body");
      }
      // Another owner's same key is a job of its own.
      const bobs = await jobs.create({ ...request, owner: "bob@example.com" });
      expect(bobs).toMatchObject({ owner: "bob@example.com", idempotent_replay: false });
      expect(bobs.id).not.toBe(first.id);
      const listed = await jobs.list({ owner: "tester", page_size: 100 });
      expect(listed.jobs.filter((job) => job.kind === "idem2")).toHaveLength(1);
    });
  });

  describe("RetryJob", () => {
    const failedJob = async (kind: string) => {
      const job = await jobs.create({ job_name: "dead", kind, max_attempts: 1 });
      const lease = (await jobs.claim("w1", [kind]))!;
      expect((await jobs.fail(job.id, lease.lease_token, "boom")).status).toBe("JOB_STATUS_FAILED");
      return { job, lease };
    };

    test("a FAILED job runs again: PENDING, attempts from 0, the last error kept, claimable now", async () => {
      const { job, lease } = await failedJob("retry1");
      const retried = await jobs.retry(job.id);
      expect(retried).toMatchObject({ status: "JOB_STATUS_PENDING", attempts: 0, error: "boom", worker_id: "" });
      expect(retried.finished_at).toBeNull();
      const again = (await jobs.claim("w2", ["retry1"]))!;
      expect(again.job).toMatchObject({ id: job.id, attempts: 1, status: "JOB_STATUS_RUNNING" });
      // The old lease is stale, not a way back in.
      expect(await code(jobs.heartbeat(job.id, lease.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      const done = await jobs.complete(job.id, again.lease_token, '{"ok":true}');
      expect(done).toMatchObject({ status: "JOB_STATUS_SUCCEEDED", error: "" });
    });

    test("a CANCELLED job runs again; its cancelled worker's token stays stale", async () => {
      const job = await jobs.create({ job_name: "c", kind: "retry2" });
      const lease = (await jobs.claim("w1", ["retry2"]))!;
      await jobs.cancel(job.id);
      expect((await jobs.retry(job.id)).status).toBe("JOB_STATUS_PENDING");
      expect(await code(jobs.complete(job.id, lease.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      const again = (await jobs.claim("w2", ["retry2"]))!;
      expect(again.job.id).toBe(job.id);
      expect(await code(jobs.complete(job.id, lease.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
    });

    test("PENDING, RUNNING and SUCCEEDED jobs are FAILED_PRECONDITION and unchanged", async () => {
      const pending = await jobs.create({ job_name: "p", kind: "retry3" });
      expect(await code(jobs.retry(pending.id))).toBe(grpc.status.FAILED_PRECONDITION);
      const lease = (await jobs.claim("w1", ["retry3"]))!;
      expect(await code(jobs.retry(pending.id))).toBe(grpc.status.FAILED_PRECONDITION);
      await jobs.complete(pending.id, lease.lease_token);
      expect(await code(jobs.retry(pending.id))).toBe(grpc.status.FAILED_PRECONDITION);
      expect(await jobs.get(pending.id)).toMatchObject({ status: "JOB_STATUS_SUCCEEDED", attempts: 1 });
    });

    test("another owner's job is NOT_FOUND and stays FAILED; an unknown id is NOT_FOUND", async () => {
      const { job } = await failedJob("retry4");
      expect(await code(jobs.retry(job.id, "bob@example.com"))).toBe(grpc.status.NOT_FOUND);
      expect((await jobs.get(job.id)).status).toBe("JOB_STATUS_FAILED");
      expect(await code(jobs.retry("999999"))).toBe(grpc.status.NOT_FOUND);
      expect(await code(jobs.retry("0"))).toBe(grpc.status.INVALID_ARGUMENT);
    });

    test("RetryJobs reports each id: retried, not found, not retryable", async () => {
      const { job: failed } = await failedJob("retry5");
      const pending = await jobs.create({ job_name: "p", kind: "retry5" });
      const theirs = await jobs.create({ job_name: "t", kind: "retry5", owner: "bob@example.com" });
      const { results } = await jobs.retryMany([failed.id, "999999", pending.id, theirs.id], "tester");
      expect(results.map((r) => [r.id, r.outcome])).toEqual([
        [failed.id, "RETRY_OUTCOME_RETRIED"],
        ["999999", "RETRY_OUTCOME_NOT_FOUND"],
        [pending.id, "RETRY_OUTCOME_NOT_RETRYABLE"],
        [theirs.id, "RETRY_OUTCOME_NOT_FOUND"],
      ]);
      expect(results[0]!.job).toMatchObject({ status: "JOB_STATUS_PENDING" });
      expect(results[1]!.job).toBeNull();
      expect(results[2]!.job).toMatchObject({ status: "JOB_STATUS_PENDING" });
      expect(results[2]!.message).toContain("PENDING");
      expect(results[3]!.job).toBeNull();
      expect(await code(jobs.retryMany([]))).toBe(grpc.status.INVALID_ARGUMENT);
      const tooMany = Array.from({ length: 101 }, (_, i) => String(i + 1));
      expect(await code(jobs.retryMany(tooMany))).toBe(grpc.status.INVALID_ARGUMENT);
    });
  });
});
