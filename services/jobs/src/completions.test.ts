// CompleteJobs and per-job backoff over a real gRPC server, on SQLite and on PostgreSQL:
// many leased jobs acknowledged in one call, each item with its own outcome; a job's
// own backoff used when a failed attempt is retried.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { fromTimestamp } from "@platform/kit";
import { grpcError } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { Job__Output } from "@platform/proto";
import { startJobsFixture, type JobsFixture } from "./testing";

setDefaultTimeout(30_000);

/** How long a failed attempt waits: run_after minus the time of the failure. */
const waitOf = (job: Job__Output) => fromTimestamp(job.run_after)!.getTime() - fromTimestamp(job.updated_at)!.getTime();

describe.each(TEST_BACKENDS)("CompleteJobs on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend, { JOBS_RETRY_BACKOFF_MS: 60_000 });
  });
  afterAll(() => jobs.stop());

  test("one call records successes and failures; a wrong or stale lease or a missing job is that item's outcome only", async () => {
    await jobs.createMany(
      Array.from({ length: 5 }, (_, i) => ({ job_name: `ack ${i}`, kind: "ack", max_attempts: 2 })),
    );
    const [ok, failing, stale, wrong, other] = await jobs.claimMany("acker", 5, ["ack"]);
    await jobs.complete(stale!.job.id, stale!.lease_token, '"early"');
    const { results } = await jobs.completeMany([
      { job_id: ok!.job.id, lease_token: ok!.lease_token, result: '{"n":1}' },
      { job_id: failing!.job.id, lease_token: failing!.lease_token, failed: true, error: "boom" },
      { job_id: stale!.job.id, lease_token: stale!.lease_token, result: '"again"' },
      { job_id: wrong!.job.id, lease_token: other!.lease_token },
      { job_id: "999999999", lease_token: other!.lease_token },
      { job_id: other!.job.id, lease_token: other!.lease_token },
    ]);
    expect(results.map((r) => [r.job_id, r.outcome, r.job?.status ?? null])).toEqual([
      [ok!.job.id, "COMPLETE_OUTCOME_RECORDED", "JOB_STATUS_SUCCEEDED"],
      [failing!.job.id, "COMPLETE_OUTCOME_RECORDED", "JOB_STATUS_PENDING"],
      [stale!.job.id, "COMPLETE_OUTCOME_STALE_LEASE", "JOB_STATUS_SUCCEEDED"],
      [wrong!.job.id, "COMPLETE_OUTCOME_WRONG_LEASE", null],
      ["999999999", "COMPLETE_OUTCOME_NOT_FOUND", null],
      [other!.job.id, "COMPLETE_OUTCOME_RECORDED", "JOB_STATUS_SUCCEEDED"],
    ]);
    expect(results[2]!.message).toContain("SUCCEEDED");
    // As stored: the result, the failure with its retry, the early result kept, the wrong lease's job untouched.
    expect((await jobs.get(ok!.job.id)).result).toBe('{"n":1}');
    const retried = await jobs.get(failing!.job.id);
    expect([retried.status, retried.error, retried.attempts, waitOf(retried)]).toEqual([
      "JOB_STATUS_PENDING",
      "boom",
      1,
      60_000,
    ]);
    expect((await jobs.get(stale!.job.id)).result).toBe('"early"');
    expect((await jobs.get(wrong!.job.id)).status).toBe("JOB_STATUS_RUNNING");
  });

  test("a malformed item fails the call before anything is written, naming items.<i>.<field>", async () => {
    await jobs.createMany([
      { job_name: "a", kind: "ack-bad" },
      { job_name: "b", kind: "ack-bad" },
    ]);
    const [a, b] = await jobs.claimMany("acker", 2, ["ack-bad"]);
    const error = await grpcError(
      jobs.completeMany([
        { job_id: a!.job.id, lease_token: a!.lease_token, result: "{}" },
        { job_id: b!.job.id, lease_token: b!.lease_token, result: "not json" },
        { job_id: a!.job.id, lease_token: a!.lease_token, failed: true, result: "1", error: "x" },
        { job_id: "0", lease_token: "short" },
      ]),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    for (const field of [
      "items.1.result: must be valid JSON",
      "items.2.job_id: must not repeat",
      "items.2.result: must be empty when the item fails",
      "items.3.job_id",
    ])
      expect(error.details).toContain(field);
    const errorWithSuccess = await grpcError(
      jobs.completeMany([{ job_id: b!.job.id, lease_token: b!.lease_token, error: "but it succeeded" }]),
    );
    expect(errorWithSuccess.details).toBe("items.0.error: must be empty unless the item fails");
    expect((await jobs.get(a!.job.id)).status).toBe("JOB_STATUS_RUNNING");
    expect((await grpcError(jobs.completeMany([]))).details).toBe("items: must not be empty");
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ job_id: String(i + 1), lease_token: a!.lease_token }));
    expect((await grpcError(jobs.completeMany(tooMany))).details).toBe("items: must be at most 500");
  });
});

describe.each(TEST_BACKENDS)("CompleteJobs then_claim on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs.stop());

  test("hands in the finished jobs and leases the next ones in one call, as ClaimJob would", async () => {
    await jobs.createMany(
      Array.from({ length: 4 }, (_, i) => ({ job_name: `next ${i}`, kind: "next", priority: i === 3 ? 5 : 0 })),
    );
    await jobs.create({ job_name: "other kind", kind: "next-other" });
    const [first] = await jobs.claimMany("busy", 1, ["next"]);
    expect(first!.job.job_name).toBe("next 3");
    const { results, claimed } = await jobs.completeMany(
      [{ job_id: first!.job.id, lease_token: first!.lease_token, result: "1" }],
      { worker_id: "busy", kinds: ["next"], max_jobs: 2 },
    );
    expect(results.map((r) => r.outcome)).toEqual(["COMPLETE_OUTCOME_RECORDED"]);
    // The next two in claim order, leased to this worker, each with a token that completes it.
    expect(claimed.map((c) => [c.job!.job_name, c.job!.status, c.job!.worker_id])).toEqual([
      ["next 0", "JOB_STATUS_RUNNING", "busy"],
      ["next 1", "JOB_STATUS_RUNNING", "busy"],
    ]);
    const done = await jobs.completeMany(
      claimed.map((c) => ({ job_id: c.job!.id, lease_token: c.lease_token })),
      { worker_id: "busy", kinds: ["next"], max_jobs: 5 },
    );
    expect(done.results.map((r) => r.outcome)).toEqual(["COMPLETE_OUTCOME_RECORDED", "COMPLETE_OUTCOME_RECORDED"]);
    expect(done.claimed.map((c) => c.job!.job_name)).toEqual(["next 2"]);
    // Nothing ready: recorded, and an empty claim, answered at once.
    const last = done.claimed[0]!;
    const empty = await jobs.completeMany([{ job_id: last.job!.id, lease_token: last.lease_token }], {
      worker_id: "busy",
      kinds: ["next"],
    });
    expect([empty.results[0]!.outcome, empty.claimed]).toEqual(["COMPLETE_OUTCOME_RECORDED", []]);
    // Without then_claim nothing is leased; the other kind was never touched.
    expect((await jobs.claimMany("any", 5, ["next-other"])).map((c) => c.job.job_name)).toEqual(["other kind"]);
  });

  test("a malformed then_claim fails the call before anything is written, naming then_claim.<field>", async () => {
    await jobs.create({ job_name: "held", kind: "next-bad" });
    const [held] = await jobs.claimMany("busy", 1, ["next-bad"]);
    const item = { job_id: held!.job.id, lease_token: held!.lease_token };
    const refused = async (then_claim: Parameters<JobsFixture["completeMany"]>[1]) => {
      const error = await grpcError(jobs.completeMany([item], then_claim));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      return error.details;
    };
    expect(await refused({ worker_id: "busy", kinds: ["next-bad"], wait_ms: 1_000 })).toContain(
      "then_claim.wait_ms: must be 0",
    );
    const details = await refused({ worker_id: "", kinds: ["not a kind!"], max_jobs: 101, lease_seconds: -1 });
    for (const field of [
      "then_claim.worker_id",
      "then_claim.kinds.0",
      "then_claim.max_jobs",
      "then_claim.lease_seconds",
    ])
      expect(details).toContain(field);
    // Nothing was written: the job is still leased and completes with its token.
    expect((await jobs.get(held!.job.id)).status).toBe("JOB_STATUS_RUNNING");
    expect((await jobs.completeMany([item])).results[0]!.outcome).toBe("COMPLETE_OUTCOME_RECORDED");
  });
});

describe.each(TEST_BACKENDS)("per-job backoff on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend, { JOBS_RETRY_BACKOFF_MS: 1_000, JOBS_MAX_RETRY_BACKOFF_MS: 60_000 });
  });
  afterAll(() => jobs.stop());

  /** Fails the job's attempts one by one (each retry made due at once by a RetryJob-free re-claim); the waits. */
  async function waits(kind: string, failures: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < failures; i++) {
      // The retry is not due yet: make it due by moving run_after back, as time would.
      await jobs.db.all("UPDATE jobs SET run_after = 0 WHERE kind = $1 AND status = 'PENDING'", [kind]);
      const lease = await jobs.claim("backoff", [kind]);
      seen.push(waitOf(await jobs.fail(lease!.job.id, lease!.lease_token, "again")));
    }
    return seen;
  }

  test("a job's own backoff is stored, shown and used: initial, times the multiplier, up to the max", async () => {
    const job = await jobs.create({
      job_name: "own",
      kind: "backoff-own",
      max_attempts: 5,
      backoff: { initial_ms: 5_000, max_ms: 30_000, multiplier: 3 },
    });
    expect(job.backoff).toEqual({ initial_ms: 5_000, max_ms: 30_000, multiplier: 3 });
    expect(await waits("backoff-own", 4)).toEqual([5_000, 15_000, 30_000, 30_000]);
  });

  test("without one, or for the fields left 0, the service's defaults apply (doubling)", async () => {
    const plain = await jobs.create({ job_name: "plain", kind: "backoff-plain", max_attempts: 4 });
    expect(plain.backoff).toBeNull();
    expect(await waits("backoff-plain", 3)).toEqual([1_000, 2_000, 4_000]);
    await jobs.create({ job_name: "fixed", kind: "backoff-fixed", max_attempts: 4, backoff: { multiplier: 1 } });
    expect(await waits("backoff-fixed", 3)).toEqual([1_000, 1_000, 1_000]);
  });

  test("bad settings are INVALID_ARGUMENT naming backoff.<field> (jobs.<i>.backoff.<field> in a batch)", async () => {
    const error = await grpcError(
      jobs.create({ job_name: "bad", backoff: { initial_ms: 10_000, max_ms: 5_000, multiplier: 11 } }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("backoff.max_ms: must be between initial_ms and 604800000");
    expect(error.details).toContain("backoff.multiplier: must be between 1 and 10");
    const negative = await grpcError(jobs.create({ job_name: "bad", backoff: { initial_ms: -1 } }));
    expect(negative.details).toBe("backoff.initial_ms: must be between 1 and 86400000");
    const batch = await grpcError(
      jobs.createMany([{ job_name: "fine" }, { job_name: "bad", backoff: { multiplier: 0.5 } }]),
    );
    expect(batch.details).toBe("jobs.1.backoff.multiplier: must be between 1 and 10");
  });
});

// k8s runs two or more jobs replicas on one PostgreSQL, and a worker's calls are spread over them (round robin):
// each replica holds only the leases it made, so a report may reach one that holds nothing, or an old copy.
describe.each(TEST_BACKENDS)("reports across two jobs replicas on %s", (backend) => {
  let a: JobsFixture;
  let b: JobsFixture;
  beforeAll(async () => {
    a = await startJobsFixture(backend);
    b = await startJobsFixture(backend, {}, a.url);
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  test("leased on one, heartbeated and reported on the other, with then_claim: recorded, and the next leased", async () => {
    await a.createMany(Array.from({ length: 3 }, (_, i) => ({ job_name: `spread ${i}`, kind: "spread" })));
    const [first] = await a.claimMany("w", 1, ["spread"]);
    // b holds nothing of it; a's copy is now a version old.
    await b.heartbeat(first!.job.id, first!.lease_token);
    const reported = await b.completeMany([{ job_id: first!.job.id, lease_token: first!.lease_token }], {
      worker_id: "w",
      kinds: ["spread"],
    });
    expect(reported.results.map((r) => [r.outcome, r.job?.status])).toEqual([
      ["COMPLETE_OUTCOME_RECORDED", "JOB_STATUS_SUCCEEDED"],
    ]);
    const [second] = reported.claimed;
    expect(second!.job!.job_name).toBe("spread 1");
    // Leased on b, heartbeated on b (b holds the newest copy), reported on a: read there, recorded.
    await b.heartbeat(second!.job!.id, second!.lease_token);
    expect((await a.complete(second!.job!.id, second!.lease_token)).status).toBe("JOB_STATUS_SUCCEEDED");
    // And a's stale copy of the first job never answers for it: reported again, its lease is stale.
    const again = await a.completeMany([{ job_id: first!.job.id, lease_token: first!.lease_token }]);
    expect(again.results.map((r) => r.outcome)).toEqual(["COMPLETE_OUTCOME_STALE_LEASE"]);
  });
});
