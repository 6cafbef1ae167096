// The long-poll cancel race, on SQLite and on PostgreSQL: a claim whose caller goes
// away while its UPDATE is already running leases nobody a job. The repository is
// wrapped so the caller's cancel lands exactly then (no timing): after the claim
// statement has leased the job and before the use case looks at the result.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { quietLogger } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { validateNewJob } from "./domain/job";
import { hashLeaseToken } from "./domain/leaseToken";
import { JOBS_MIGRATIONS } from "./store/migrations";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { JobService } from "./usecases/jobService";

setDefaultTimeout(30_000);

/** A repository whose claim runs a hook once the statement has leased its jobs. */
class HookedRepository extends SqlJobRepository {
  afterClaim: (() => void) | undefined;
  override async claim(...args: Parameters<SqlJobRepository["claim"]>) {
    const jobs = await super.claim(...args);
    this.afterClaim?.();
    return jobs;
  }
}

const newJob = (name: string, kind: string) =>
  validateNewJob({ name, kind, payload: "", maxAttempts: 3, idempotencyKey: "", owner: "tester" });

describe.each(TEST_BACKENDS)("a claim cancelled mid-statement on %s", (backend) => {
  let db: Db;
  let repository: HookedRepository;
  let service: JobService;
  beforeAll(async () => {
    db = openDatabase("jobs", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 4 });
    await migrate(db, "jobs", JOBS_MIGRATIONS);
    repository = new HookedRepository(db);
    service = new JobService(
      repository,
      { retry: { baseBackoffMs: 60_000, maxBackoffMs: 60_000 }, sweepIntervalMs: 3_600_000 },
      quietLogger(),
    );
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
  });

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
});
