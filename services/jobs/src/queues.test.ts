// Priorities, queues, delayed jobs (run_at) and expiry, on each backend, through
// the use cases over SQL: claims take the highest priority first, then the
// oldest; a claim for some queues gets only theirs, and a job of another queue
// does not use up its wake-up; a job due later is not claimed before it is, and
// a waiting claim gets it once it is; a job nobody claims before its expires_at
// is FAILED by the sweep, and a retry runs it again; an attempt that runs past
// its timeout is a failed attempt, heartbeats or not.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Db } from "@platform/kit";
import { eventually, quietLogger } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS, type Backend } from "@platform/kit/testing/db";
import { hashLeaseToken } from "./domain/leaseToken";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { type RunningJobService, startJobService, testNewJob, waitingClaims } from "./testing";
import { JobService } from "./usecases/jobService";

setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("priorities, queues, run_at and expiry on %s", (backend: Backend) => {
  let running: RunningJobService<SqlJobRepository>;
  let db: Db;
  let service: JobService;
  beforeAll(async () => {
    running = await startJobService(await createTestDatabaseUrl(backend));
    ({ db, service } = running);
  });
  afterAll(() => running.stop());

  const claimNames = async (kind: string, count: number, queues: string[] = []) => {
    const names: (string | null)[] = [];
    for (let i = 0; i < count; i++) names.push((await service.claim("w", 30, [kind], { queues }))?.job.name ?? null);
    return names;
  };

  test("claims take the highest priority first, then the oldest", async () => {
    for (const [name, priority] of [
      ["low", -5],
      ["normal 1", 0],
      ["high 1", 10],
      ["normal 2", 0],
      ["high 2", 10],
      ["top", 1000],
    ] as const)
      await service.create(testNewJob(name, "prio", { priority }));
    expect(await claimNames("prio", 7)).toEqual(["top", "high 1", "high 2", "normal 1", "normal 2", "low", null]);
  });

  test("a claim of several kinds takes their jobs in one claim order, across kinds; a kind named twice counts once", async () => {
    for (const [name, kind, priority] of [
      ["x low", "kx", 0],
      ["y high", "ky", 5],
      ["x high", "kx", 5],
      ["y low", "ky", 0],
      ["z top", "kz", 100],
    ] as const)
      await service.create(testNewJob(name, kind, { priority }));
    const names = async (maxJobs: number) =>
      (await service.claimMany("w", 30, ["kx", "ky", "kx"], { maxJobs })).map((claimed) => claimed.job.name);
    expect(await names(3)).toEqual(["y high", "x high", "x low"]);
    expect(await names(5)).toEqual(["y low"]);
    expect(await claimNames("kz", 2)).toEqual(["z top", null]);
  });

  test("the next job to become due, for a waiting claim: the earliest of the kinds asked for, in their queues", async () => {
    const now = Date.now();
    const runAt = (seconds: number) => new Date(now + seconds * 1000);
    await service.create(testNewJob("na", "next-a", { runAt: runAt(60), queue: "a" }));
    await service.create(testNewJob("nb", "next-b", { runAt: runAt(30), queue: "b" }));
    await service.create(testNewJob("nb later", "next-b", { runAt: runAt(90), queue: "a" }));
    await service.create(testNewJob("nc", "next-c", { runAt: runAt(10) }));
    const next = (kinds: string[], queues: string[] = []) =>
      running.repository.nextRunAfter(kinds, queues, new Date(now)).then((at) => at?.getTime());
    expect(await next(["next-a", "next-b"])).toBe(runAt(30).getTime());
    expect(await next(["next-b", "next-a", "next-b"], ["a"])).toBe(runAt(60).getTime());
    expect(await next(["next-b"], ["a"])).toBe(runAt(90).getTime());
    expect(await next(["next-d"])).toBeUndefined();
    expect(await next(["next-a"], ["b"])).toBeUndefined();
    expect(await next([])).toBeLessThanOrEqual(runAt(10).getTime());
  });

  test("a claim for some queues gets only jobs in them; without queues, any queue", async () => {
    await service.create(testNewJob("in a", "queued", { queue: "a" }));
    await service.create(testNewJob("in b", "queued", { queue: "b" }));
    await service.create(testNewJob("in default", "queued"));
    expect(await claimNames("queued", 1, ["c"])).toEqual([null]);
    expect(await claimNames("queued", 2, ["b"])).toEqual(["in b", null]);
    const rest = await claimNames("queued", 3);
    expect(rest).toEqual(["in a", "in default", null]);
    const job = (await service.list({ afterId: 0, limit: 1000 })).find((j) => j.name === "in default");
    expect(job).toMatchObject({ queue: "default", priority: 0, expiresAt: null });
  });

  test("a job in another queue does not use up the wake-up of a claim waiting for its own queue", async () => {
    const forA = service.claim("wa", 30, ["wake"], { waitMs: 20_000, queues: ["a"] });
    await waitingClaims(service, 1);
    const forB = service.claim("wb", 30, ["wake"], { waitMs: 20_000, queues: ["b"] });
    await waitingClaims(service, 2);
    // The older waiter serves only queue a: the job in b must go to the claim for b.
    const { job } = await service.create(testNewJob("for b", "wake", { queue: "b" }));
    expect((await forB)?.job.id).toBe(job.id);
    expect(service.waitingClaims).toBe(1);
    const { job: second } = await service.create(testNewJob("for a", "wake", { queue: "a" }));
    expect((await forA)?.job.id).toBe(second.id);
  });

  test("a job due later is not claimed before run_at; a waiting claim gets it once it is due", async () => {
    const { job: later } = await service.create(
      testNewJob("later", "delayed", { runAt: new Date(Date.now() + 400), priority: 1000 }),
    );
    expect(later.runAfter.getTime()).toBeGreaterThan(later.createdAt.getTime());
    await service.create(testNewJob("now", "delayed"));
    // The higher priority does not bring the delayed job forward.
    expect(await claimNames("delayed", 2)).toEqual(["now", null]);
    // Nothing else will wake this claim: only the timer for the delayed job's run_at.
    const claimed = await service.claim("w", 30, ["delayed"], { waitMs: 20_000 });
    expect(claimed?.job.id).toBe(later.id);
  });

  test("a job nobody claims before expires_at is not claimable, and the sweep fails it with a clear error", async () => {
    const expiresAt = new Date(Date.now() + 100);
    const { job } = await service.create(testNewJob("orphan", "nobody-serves", { expiresAt }));
    const { job: kept } = await service.create(testNewJob("kept", "nobody-serves"));
    await eventually(async () => (Date.now() > expiresAt.getTime() + 5 ? true : undefined), 5_000, "the expiry");
    expect(await service.sweepExpiredJobs()).toBe(1);
    const failed = await service.get(job.id);
    expect(failed).toMatchObject({
      status: "FAILED",
      error: `expired: no worker claimed it before ${expiresAt.toISOString()}`,
    });
    expect(failed.finishedAt).not.toBeNull();
    expect((await service.get(kept.id)).status).toBe("PENDING");
    expect(await service.sweepExpiredJobs()).toBe(0);
    // A retry runs it again: its passed expiry no longer applies.
    const retried = await service.retry(job.id);
    expect(retried).toMatchObject({ status: "PENDING", expiresAt: null });
    // Due again from now: behind the job that has waited since before.
    expect(await claimNames("nobody-serves", 3)).toEqual(["kept", "orphan", null]);
  });

  test("a job past expires_at is not handed out even before the sweep runs; a claimed one never expires", async () => {
    const soon = new Date(Date.now() + 300);
    const { job: claimedFirst } = await service.create(testNewJob("claimed", "expiring", { expiresAt: soon }));
    expect((await service.claim("w", 30, ["expiring"]))?.job.id).toBe(claimedFirst.id);
    const { job: unclaimed } = await service.create(testNewJob("unclaimed", "expiring", { expiresAt: soon }));
    await eventually(async () => (Date.now() > soon.getTime() + 5 ? true : undefined), 5_000, "the expiry");
    expect(await service.claim("w", 30, ["expiring"])).toBeUndefined();
    expect(await service.sweepExpiredJobs()).toBe(1);
    expect((await service.get(unclaimed.id)).status).toBe("FAILED");
    expect((await service.get(claimedFirst.id)).status).toBe("RUNNING");
  });

  test("an attempt that runs past its timeout fails, heartbeats or not; one within it is untouched", async () => {
    const { job } = await service.create(testNewJob("stuck", "timed", { timeoutSeconds: 1 }));
    const { job: untimed } = await service.create(testNewJob("untimed", "timed"));
    const lease = (await service.claim("w", 30, ["timed"]))!;
    expect(lease.job.id).toBe(job.id);
    expect(lease.job.runDeadline!.getTime()).toBe(lease.job.startedAt!.getTime() + 1000);
    expect((await service.claim("w", 30, ["timed"]))?.job.runDeadline).toBeNull();
    expect(await service.sweepTimedOutRuns()).toBe(0);
    await eventually(async () => (Date.now() > lease.job.runDeadline!.getTime() + 5 ? true : undefined), 5_000, "1 s");
    // A heartbeat extends the lease, not the run deadline.
    await service.heartbeat(job.id, hashLeaseToken(lease.leaseToken), 30);
    expect(await service.sweepTimedOutRuns()).toBe(1);
    const failed = await service.get(job.id);
    expect(failed).toMatchObject({
      status: "FAILED",
      error: "timed out: the attempt ran longer than 1s",
      runDeadline: null,
    });
    expect((await service.get(untimed.id)).status).toBe("RUNNING");
  });

  test("a waiting claim gets a delayed job written by another replica (no timer here, no NOTIFY on SQLite)", async () => {
    // Another replica on the same database: its in-process timers are not this one's.
    const other = new JobService(
      new SqlJobRepository(db),
      { retry: { baseBackoffMs: 10, maxBackoffMs: 10 }, sweepIntervalMs: 3_600_000 },
      quietLogger(),
    );
    const { job } = await other.create(
      testNewJob("elsewhere", "delayed-elsewhere", { runAt: new Date(Date.now() + 400) }),
    );
    const claimed = await service.claim("w", 30, ["delayed-elsewhere"], { waitMs: 20_000 });
    expect(claimed?.job.id).toBe(job.id);
  });
});
