// The long-poll cancel race, on SQLite and on PostgreSQL: a claim whose caller goes
// away while its UPDATE is already running leases nobody a job. The repository is
// wrapped so the caller's cancel lands exactly then (no timing): after the claim
// statement has leased the job and before the use case looks at the result.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Db } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { hashLeaseToken } from "./domain/leaseToken";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { type RunningJobService, startJobService, testNewJob } from "./testing";
import type { JobService } from "./usecases/jobService";

setDefaultTimeout(30_000);

/** A repository whose claim runs a hook once the statement has leased its jobs, and whose batch saves can fail. */
class HookedRepository extends SqlJobRepository {
  afterClaim: (() => void) | undefined;
  /** How many of the next batch saves fail. */
  saveManyFailures = 0;
  override async claim(...args: Parameters<SqlJobRepository["claim"]>) {
    const jobs = await super.claim(...args);
    this.afterClaim?.();
    return jobs;
  }
  override async saveMany(...args: Parameters<SqlJobRepository["saveMany"]>) {
    if (this.saveManyFailures > 0 && this.saveManyFailures--) throw new Error("the database went away");
    return super.saveMany(...args);
  }
}

const newJob = (name: string, kind: string) => testNewJob(name, kind, { maxAttempts: 3 });

describe.each(TEST_BACKENDS)("a claim cancelled mid-statement on %s", (backend) => {
  let running: RunningJobService<HookedRepository>;
  let db: Db;
  let repository: HookedRepository;
  let service: JobService;
  beforeAll(async () => {
    running = await startJobService(await createTestDatabaseUrl(backend), {
      retry: { baseBackoffMs: 60_000, maxBackoffMs: 60_000 },
      repository: (db) => new HookedRepository(db),
    });
    ({ db, repository, service } = running);
  });
  afterAll(() => running.stop());

  test("leases nothing: the jobs are PENDING again at once, no attempt used, never started", async () => {
    const created = await service.createMany([newJob("c1", "cancelled"), newJob("c2", "cancelled")]);
    const caller = new AbortController();
    repository.afterClaim = () => caller.abort();
    const claimed = await service.claimMany("gone", 30, ["cancelled"], {
      waitMs: 10_000,
      signal: caller.signal,
      maxJobs: 2,
    });
    repository.afterClaim = undefined;
    expect(claimed).toEqual([]);
    for (const { id } of created)
      expect(await service.get(id)).toMatchObject({
        status: "PENDING",
        attempts: 0,
        startedAt: null,
        workerId: null,
        leaseExpiresAt: null,
      });
    // The next claim gets them, as their first attempt, in their old order.
    const next = await service.claimMany("next", 30, ["cancelled"], { maxJobs: 2 });
    expect(next.map(({ job }) => [job.name, job.attempts])).toEqual([
      ["c1", 1],
      ["c2", 1],
    ]);
  });

  test("a retried job keeps its first start and its earlier attempts", async () => {
    const [job] = await service.createMany([newJob("again", "cancelled-retry")]);
    const first = await service.claim("w", 30, ["cancelled-retry"]);
    const failed = await service.fail(job!.id, hashLeaseToken(first!.leaseToken), "x");
    expect(failed.attempts).toBe(1);
    // Due now (the backoff is long).
    await db.all("UPDATE jobs SET run_after = 0 WHERE id = $1", [job!.id]);
    const caller = new AbortController();
    repository.afterClaim = () => caller.abort();
    expect(
      await service.claim("gone", 30, ["cancelled-retry"], { waitMs: 10_000, signal: caller.signal }),
    ).toBeUndefined();
    repository.afterClaim = undefined;
    expect(await service.get(job!.id)).toMatchObject({
      status: "PENDING",
      attempts: 1,
      startedAt: first!.job.startedAt,
    });
  });

  test("a claim not cancelled keeps its lease", async () => {
    await service.createMany([newJob("kept", "not-cancelled")]);
    const caller = new AbortController();
    const claimed = await service.claim("here", 30, ["not-cancelled"], { waitMs: 10_000, signal: caller.signal });
    expect(claimed?.job).toMatchObject({ status: "RUNNING", attempts: 1 });
  });

  test("a report that fails gives back the jobs its then_claim leased beside it, and fails", async () => {
    const [reported] = await service.createMany([newJob("reported", "beside")]);
    const lease = await service.claim("w", 30, ["beside"]);
    const [next] = await service.createMany([newJob("next", "beside")]);
    repository.saveManyFailures = 1;
    const report = service.completeManyThenClaim(
      [{ id: reported!.id, leaseToken: hashLeaseToken(lease!.leaseToken), failed: false, result: null, error: "" }],
      ["w", 30, ["beside"], { maxJobs: 1 }],
    );
    expect(report).rejects.toThrow("the database went away");
    await report.catch(() => {});
    expect(await service.get(next!.id)).toMatchObject({ status: "PENDING", attempts: 0, startedAt: null });
    expect(await service.get(reported!.id)).toMatchObject({ status: "RUNNING" });
    // And beside a report that is recorded, the claim's jobs are the caller's.
    const done = await service.completeManyThenClaim(
      [{ id: reported!.id, leaseToken: hashLeaseToken(lease!.leaseToken), failed: false, result: null, error: "" }],
      ["w", 30, ["beside"], { maxJobs: 1 }],
    );
    expect(done.results.map((r) => r.outcome)).toEqual(["RECORDED"]);
    expect(done.claimed.map(({ job }) => [job.id, job.status])).toEqual([[next!.id, "RUNNING"]]);
  });
});
