// The job lifecycle over a real gRPC server, on SQLite and on PostgreSQL.
// Tests keep out of each other's way by claiming only their own job kinds.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { grpcError } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { Job__Output } from "@platform/proto";
import { startJobsFixture, type JobsFixture } from "./testing";
import { eventually } from "@platform/kit/testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("jobs service on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs.stop());

  const code = async (promise: Promise<unknown>) => (await grpcError(promise)).code;

  describe("the seed's behaviour", () => {
    test("CreateJob(job_name) assigns ids in order and starts PENDING with timestamps", async () => {
      const first = await jobs.create({ job_name: "Data Processing Job" });
      const second = await jobs.create({ job_name: "Another" });
      expect(first).toMatchObject({
        id: "1",
        job_name: "Data Processing Job",
        status: "JOB_STATUS_PENDING",
        kind: "noop",
        attempts: 0,
        max_attempts: 3,
      });
      expect(second.id).toBe("2");
      expect(first.created_at).toEqual(first.updated_at);
      expect(first.started_at).toBeNull();
    });

    test("GetJob returns the stored job; an unknown id is NOT_FOUND", async () => {
      expect((await jobs.get("1")).job_name).toBe("Data Processing Job");
      expect(await code(jobs.get("404"))).toBe(grpc.status.NOT_FOUND);
    });

    test("an empty job_name is INVALID_ARGUMENT", async () => {
      const error = await grpcError(jobs.create({ job_name: "   " }));
      expect([error.code, error.details]).toEqual([grpc.status.INVALID_ARGUMENT, "job_name: must not be empty"]);
    });

    test("ListJobs pages in id order", async () => {
      const page = await jobs.list({ page_size: 1 });
      expect(page.jobs.map((j) => j.id)).toEqual(["1"]);
      const next = await jobs.list({ page_size: 1, page_token: page.next_page_token });
      expect(next.jobs.map((j) => j.id)).toEqual(["2"]);
    });
  });

  describe("creating", () => {
    test("kind, payload and max_attempts are stored", async () => {
      const job = await jobs.create({ job_name: "echo", kind: "echo", payload: '{"a":[1,2]}', max_attempts: 5 });
      expect(job).toMatchObject({ kind: "echo", payload: '{"a":[1,2]}', max_attempts: 5, result: "", error: "" });
    });

    test.each([
      ["a payload that is not JSON", { payload: "{nope" }, "payload"],
      ["an oversized payload", { payload: JSON.stringify("x".repeat(70_000)) }, "payload"],
      ["a kind that looks like a command", { kind: "rm -rf /" }, "kind"],
      ["max_attempts above 100", { max_attempts: 101 }, "max_attempts"],
      ["a negative max_attempts", { max_attempts: -1 }, "max_attempts"],
    ])("%s is INVALID_ARGUMENT", async (_, fields, field) => {
      const error = await grpcError(jobs.create({ job_name: "bad", ...fields }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toStartWith(field);
    });

    test("an idempotency key makes a repeated create return the first job", async () => {
      const first = await jobs.create({ job_name: "once", kind: "idem", idempotency_key: "pipeline-1-step-a" });
      const again = await jobs.create({ job_name: "once", kind: "idem", idempotency_key: "pipeline-1-step-a" });
      expect(again.id).toBe(first.id);
    });

    test("ListJobs filters by status", async () => {
      const job = await jobs.create({ job_name: "to cancel", kind: "filter" });
      await jobs.cancel(job.id);
      const cancelled = await jobs.list({ page_size: 500, status: "JOB_STATUS_CANCELLED" });
      expect(cancelled.jobs.map((j) => j.id)).toContain(job.id);
      expect(cancelled.jobs.every((j) => j.status === "JOB_STATUS_CANCELLED")).toBe(true);
    });
  });

  describe("the lifecycle", () => {
    test("claim, heartbeat, complete", async () => {
      const created = await jobs.create({ job_name: "work", kind: "life1", payload: "42" });
      expect(await jobs.claim("w1", ["nothing-of-this-kind"])).toBeNull();
      const { job: claimed, lease_token } = (await jobs.claim("w1", ["life1"], 5))!;
      expect(claimed).toMatchObject({
        id: created.id,
        status: "JOB_STATUS_RUNNING",
        worker_id: "w1",
        attempts: 1,
        payload: "42",
        owner: "tester",
      });
      expect(lease_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(claimed.started_at).not.toBeNull();
      expect(await jobs.claim("w2", ["life1"])).toBeNull();

      const beat = await jobs.heartbeat(created.id, lease_token, 60);
      expect(Number(beat.lease_expires_at!.seconds)).toBeGreaterThan(Number(claimed.lease_expires_at!.seconds));
      const done = await jobs.complete(created.id, lease_token, '{"ok":true}');
      expect(done).toMatchObject({ status: "JOB_STATUS_SUCCEEDED", result: '{"ok":true}', worker_id: "" });
      expect(done.finished_at).not.toBeNull();
      expect(await code(jobs.complete(created.id, lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      expect(await code(jobs.cancel(created.id))).toBe(grpc.status.FAILED_PRECONDITION);
    });

    test("the lease token, not worker_id, holds the job: another token is PERMISSION_DENIED and changes nothing", async () => {
      const created = await jobs.create({ job_name: "guarded", kind: "token1" });
      const lease = (await jobs.claim("w1", ["token1"]))!;
      const other = await jobs.create({ job_name: "other", kind: "token1" });
      const otherLease = (await jobs.claim("w1", ["token1"]))!;
      expect(otherLease.job.id).toBe(other.id);
      expect(otherLease.lease_token).not.toBe(lease.lease_token);
      // Same worker_id, the other job's token, a made-up token: all denied.
      for (const token of [otherLease.lease_token, "A".repeat(43)]) {
        expect(await code(jobs.heartbeat(created.id, token))).toBe(grpc.status.PERMISSION_DENIED);
        expect(await code(jobs.complete(created.id, token, '"forged"'))).toBe(grpc.status.PERMISSION_DENIED);
        expect(await code(jobs.fail(created.id, token, "forged"))).toBe(grpc.status.PERMISSION_DENIED);
      }
      expect(await jobs.get(created.id)).toMatchObject({ status: "JOB_STATUS_RUNNING", result: "", error: "" });
      expect((await jobs.complete(created.id, lease.lease_token, '"real"')).result).toBe('"real"');
    });

    test("a token of an earlier lease (expired, then re-claimed) is FAILED_PRECONDITION", async () => {
      const job = await jobs.create({ job_name: "stale", kind: "token2" });
      const first = (await jobs.claim("slow", ["token2"], 1))!;
      const second = await eventually(
        async () => (await jobs.claim("fast", ["token2"])) ?? undefined,
        10_000,
        "the re-claim",
      );
      expect(second.job).toMatchObject({ id: job.id, attempts: 2 });
      expect(await code(jobs.heartbeat(job.id, first.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      expect(await code(jobs.complete(job.id, first.lease_token, '"late"'))).toBe(grpc.status.FAILED_PRECONDITION);
      expect(await code(jobs.fail(job.id, first.lease_token, "late"))).toBe(grpc.status.FAILED_PRECONDITION);
      expect((await jobs.complete(job.id, second.lease_token, '"on time"')).result).toBe('"on time"');
    });

    test("a lease token is missing from every Job the service sends", async () => {
      await jobs.create({ job_name: "secret", kind: "token3" });
      const { job, lease_token } = (await jobs.claim("w1", ["token3"]))!;
      const everything = JSON.stringify([
        job,
        await jobs.get(job.id),
        await jobs.list({ page_size: 500 }),
        await jobs.heartbeat(job.id, lease_token),
      ]);
      expect(everything).not.toContain(lease_token);
      const rows = await jobs.db.all<Record<string, unknown>>("SELECT * FROM jobs WHERE id = $1", [Number(job.id)]);
      expect(JSON.stringify(rows)).not.toContain(lease_token);
    });

    test("a result that is not JSON is INVALID_ARGUMENT", async () => {
      const job = await jobs.create({ job_name: "work", kind: "life2" });
      const lease = (await jobs.claim("w1", ["life2"]))!;
      expect(await code(jobs.complete(job.id, lease.lease_token, "not json"))).toBe(grpc.status.INVALID_ARGUMENT);
    });

    test("a failure re-queues with backoff until max_attempts, then FAILED", async () => {
      const job = await jobs.create({ job_name: "flaky", kind: "life3", max_attempts: 2 });
      const first = (await jobs.claim("w1", ["life3"]))!;
      const retried = await jobs.fail(job.id, first.lease_token, "boom");
      expect(retried).toMatchObject({ status: "JOB_STATUS_PENDING", error: "boom", attempts: 1, worker_id: "" });
      expect(Number(retried.run_after!.seconds) * 1000 + retried.run_after!.nanos / 1e6).toBeGreaterThan(
        Date.now() - 1000,
      );
      // The released lease's token is stale now, not wrong.
      expect(await code(jobs.heartbeat(job.id, first.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      const again = await eventually(async () => (await jobs.claim("w2", ["life3"])) ?? undefined, 10_000, "the retry");
      expect(again.job).toMatchObject({ id: job.id, attempts: 2, worker_id: "w2" });
      const failed = await jobs.fail(job.id, again.lease_token, "boom again");
      expect(failed).toMatchObject({ status: "JOB_STATUS_FAILED", error: "boom again", attempts: 2 });
      expect(failed.finished_at).not.toBeNull();
    });

    test("cancel works on PENDING and RUNNING jobs; the worker then loses its lease", async () => {
      const pending = await jobs.create({ job_name: "c1", kind: "life4" });
      expect((await jobs.cancel(pending.id)).status).toBe("JOB_STATUS_CANCELLED");
      const running = await jobs.create({ job_name: "c2", kind: "life4" });
      const lease = (await jobs.claim("w1", ["life4"]))!;
      expect((await jobs.cancel(running.id)).status).toBe("JOB_STATUS_CANCELLED");
      expect(await code(jobs.heartbeat(running.id, lease.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      expect(await jobs.claim("w1", ["life4"])).toBeNull();
    });

    test("an expired lease returns the job to PENDING, counting the attempt", async () => {
      const job = await jobs.create({ job_name: "abandoned", kind: "life5" });
      const lease = (await jobs.claim("dead-worker", ["life5"], 1))!;
      const back = await eventually(
        async () => {
          const current = await jobs.get(job.id);
          return current.status === "JOB_STATUS_PENDING" ? current : undefined;
        },
        10_000,
        "the lease to expire",
      );
      expect(back).toMatchObject({ attempts: 1, worker_id: "" });
      expect(back.error).toContain("lease");
      expect(await code(jobs.complete(job.id, lease.lease_token))).toBe(grpc.status.FAILED_PRECONDITION);
      const reclaimed = await eventually(
        async () => (await jobs.claim("w2", ["life5"])) ?? undefined,
        10_000,
        "the retry",
      );
      expect(reclaimed.job.id).toBe(job.id);
    });

    test("bad worker calls are INVALID_ARGUMENT", async () => {
      expect(await code(jobs.claim("", []))).toBe(grpc.status.INVALID_ARGUMENT);
      expect(await code(jobs.claim("w", ["Bad Kind"]))).toBe(grpc.status.INVALID_ARGUMENT);
      expect(await code(jobs.claim("w", [], 4000))).toBe(grpc.status.INVALID_ARGUMENT);
      expect(await code(jobs.heartbeat("0", "A".repeat(43)))).toBe(grpc.status.INVALID_ARGUMENT);
      const job = await jobs.create({ job_name: "x", kind: "life6" });
      expect(await code(jobs.heartbeat(job.id, ""))).toBe(grpc.status.INVALID_ARGUMENT);
      expect(await code(jobs.complete(job.id, "not a token!"))).toBe(grpc.status.INVALID_ARGUMENT);
    });
  });

  describe("owners", () => {
    test("a job belongs to its owner: another owner's Get, Watch and Cancel are NOT_FOUND, List shows only the owner's", async () => {
      const mine = await jobs.create({ job_name: "mine", kind: "own1", owner: "alice@example.com" });
      const theirs = await jobs.create({ job_name: "theirs", kind: "own1", owner: "bob@example.com" });
      expect(mine.owner).toBe("alice@example.com");
      expect((await jobs.get(mine.id, "alice@example.com")).id).toBe(mine.id);
      expect(await code(jobs.get(theirs.id, "alice@example.com"))).toBe(grpc.status.NOT_FOUND);
      expect(await code(jobs.cancel(theirs.id, "alice@example.com"))).toBe(grpc.status.NOT_FOUND);
      expect((await jobs.get(theirs.id)).status).toBe("JOB_STATUS_PENDING");
      const listed = await jobs.list({ page_size: 500, owner: "alice@example.com" });
      expect(listed.jobs.map((j) => j.id)).toEqual([mine.id]);
      expect((await jobs.list({ page_size: 500 })).jobs.map((j) => j.id)).toEqual(
        expect.arrayContaining([mine.id, theirs.id]),
      );
      expect((await jobs.cancel(theirs.id, "bob@example.com")).status).toBe("JOB_STATUS_CANCELLED");
      const watched = (
        jobs.client as unknown as { WatchJob(r: object, o: grpc.CallOptions): grpc.ClientReadableStream<Job__Output> }
      ).WatchJob({ id: mine.id, owner: "bob@example.com" }, { deadline: Date.now() + 20_000 });
      const watchCode = await new Promise<number>((resolve) => {
        watched.on("data", () => {});
        watched.on("error", (error: grpc.ServiceError) => resolve(error.code));
        watched.on("status", (status) => resolve(status.code));
      });
      expect(watchCode).toBe(grpc.status.NOT_FOUND);
    });

    test("an owner is required; idempotency keys are per owner", async () => {
      expect(await code(jobs.create({ job_name: "nobody's", owner: "" }))).toBe(grpc.status.INVALID_ARGUMENT);
      const a = await jobs.create({
        job_name: "a",
        kind: "own2",
        owner: "alice@example.com",
        idempotency_key: "same-key",
      });
      const again = await jobs.create({
        job_name: "a",
        kind: "own2",
        owner: "alice@example.com",
        idempotency_key: "same-key",
      });
      const b = await jobs.create({
        job_name: "b",
        kind: "own2",
        owner: "bob@example.com",
        idempotency_key: "same-key",
      });
      expect(again.id).toBe(a.id);
      expect(b.id).not.toBe(a.id);
      expect(b.owner).toBe("bob@example.com");
    });
  });

  describe("WatchJob", () => {
    const watch = (id: string) => {
      const seen: Job__Output[] = [];
      const stream = (
        jobs.client as unknown as { WatchJob(r: object, o: grpc.CallOptions): grpc.ClientReadableStream<Job__Output> }
      ).WatchJob({ id }, { deadline: Date.now() + 20_000 });
      stream.on("data", (job: Job__Output) => seen.push(job));
      const ended = new Promise<grpc.StatusObject>((resolve, reject) => {
        stream.on("status", resolve);
        stream.on("error", reject);
      });
      return { seen, ended };
    };

    test("sends the job now and on every change, and ends at a final state", async () => {
      const job = await jobs.create({ job_name: "watched", kind: "watch1" });
      const { seen, ended } = watch(job.id);
      await eventually(async () => (seen.length >= 1 ? true : undefined));
      const lease = (await jobs.claim("w1", ["watch1"]))!;
      await eventually(async () => (seen.length >= 2 ? true : undefined));
      await jobs.complete(job.id, lease.lease_token, '"done"');
      expect((await ended).code).toBe(grpc.status.OK);
      expect(seen.map((j) => j.status)).toEqual(["JOB_STATUS_PENDING", "JOB_STATUS_RUNNING", "JOB_STATUS_SUCCEEDED"]);
    });

    test("a final job is sent once and the stream ends; an unknown one is NOT_FOUND", async () => {
      const job = await jobs.create({ job_name: "final", kind: "watch2" });
      await jobs.cancel(job.id);
      const { seen, ended } = watch(job.id);
      await ended;
      expect(seen.map((j) => j.status)).toEqual(["JOB_STATUS_CANCELLED"]);
      const missing = await watch("999999").ended.then(
        (status) => status.code,
        (error: grpc.ServiceError) => error.code,
      );
      expect(missing).toBe(grpc.status.NOT_FOUND);
    });
  });

  test("everything survives a restart", async () => {
    const before = await jobs.list({ page_size: 500 });
    await jobs.stop();
    jobs = await startJobsFixture(backend, {}, jobs.url);
    expect((await jobs.list({ page_size: 500 })).jobs).toEqual(before.jobs);
  });
});
