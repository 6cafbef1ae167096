// Completions of jobs this replica leased, on SQLite and on PostgreSQL: the first
// round writes each job as the claim left it, without reading it (counted on the
// repository); a job changed since is read afresh, and a refusal is only ever
// decided on the stored job.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { FailedPreconditionError } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { hashLeaseToken } from "./domain/leaseToken";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { type RunningJobService, startJobService, testNewJob } from "./testing";
import type { ClaimedJob, JobService } from "./usecases/jobService";

setDefaultTimeout(30_000);

class CountingRepository extends SqlJobRepository {
  reads = 0;
  override getMany(ids: readonly number[]) {
    this.reads++;
    return super.getMany(ids);
  }
  override get(id: number) {
    this.reads++;
    return super.get(id);
  }
}

describe.each(TEST_BACKENDS)("completions of held leases on %s", (backend) => {
  let running: RunningJobService<CountingRepository>;
  let other: RunningJobService<SqlJobRepository>;
  let service: JobService;
  let repository: CountingRepository;
  beforeAll(async () => {
    const url = await createTestDatabaseUrl(backend);
    running = await startJobService(url, { repository: (db) => new CountingRepository(db) });
    other = await startJobService(url);
    ({ service, repository } = running);
  });
  afterAll(async () => {
    await other.stop();
    await running.stop();
  });

  const claim = async (kind: string, count: number, on = service) => {
    await on.createMany(
      Array.from({ length: count }, (_, i) => testNewJob(`${kind} ${i}`, kind, { payload: `{"n":${i}}` })),
    );
    return on.claimMany("w", 30, [kind], { maxJobs: count });
  };
  const succeed = (leases: ClaimedJob[], token = (lease: ClaimedJob) => lease.leaseToken) =>
    service.completeMany(
      leases.map((lease) => ({
        id: lease.job.id,
        leaseToken: hashLeaseToken(token(lease)),
        failed: false,
        result: '"done"',
        error: "",
      })),
    );

  test("jobs this replica leased are written without a read, and answered as stored (payload and all)", async () => {
    const leases = await claim("held", 3);
    repository.reads = 0;
    const results = await succeed(leases);
    expect(repository.reads).toBe(0);
    expect(results.map((r) => [r.outcome, r.job?.status, r.job?.payload])).toEqual([
      ["RECORDED", "SUCCEEDED", '{"n":0}'],
      ["RECORDED", "SUCCEEDED", '{"n":1}'],
      ["RECORDED", "SUCCEEDED", '{"n":2}'],
    ]);
    // Each is given out once: completing again reads the stored jobs, and they are no longer leased.
    const again = await succeed(leases);
    expect(repository.reads).toBe(1);
    expect(again.map((r) => r.outcome)).toEqual(["STALE_LEASE", "STALE_LEASE", "STALE_LEASE"]);
  });

  test("a job changed since its claim (by another replica) is read afresh and recorded", async () => {
    const [lease] = await claim("beating", 1);
    await other.service.heartbeat(lease!.job.id, hashLeaseToken(lease!.leaseToken), 60);
    repository.reads = 0;
    const [result] = await succeed([lease!]);
    expect(repository.reads).toBe(1);
    expect(result).toMatchObject({ outcome: "RECORDED", job: { status: "SUCCEEDED" } });
  });

  test("a refusal is decided on the stored job: a cancelled job's lease is stale, a wrong token is wrong", async () => {
    const [cancelled, wrong] = await claim("refused", 2);
    await other.service.cancel(cancelled!.job.id);
    const results = await succeed([cancelled!, wrong!], (lease) =>
      lease === wrong ? "not-its-token" : lease.leaseToken,
    );
    expect(results.map((r) => [r.outcome, r.job?.status ?? null])).toEqual([
      ["STALE_LEASE", "CANCELLED"],
      ["WRONG_LEASE", null],
    ]);
  });

  test("a job leased again by another replica: its new token is recorded here, its old one is stale", async () => {
    const [first] = await claim("released", 1);
    // Another replica ends it and puts it back, then leases it anew: what this replica holds is two leases old.
    await other.service.cancel(first!.job.id);
    await other.service.retry(first!.job.id);
    const [second] = await other.service.claimMany("w2", 30, ["released"]);
    expect(second!.job.id).toBe(first!.job.id);
    // The new token against the held job would be refused: it is read, and recorded.
    const [recorded] = await succeed([second!]);
    expect(recorded).toMatchObject({ outcome: "RECORDED", job: { status: "SUCCEEDED", workerId: null } });
    const [stale] = await succeed([first!]);
    expect(stale!.outcome).toBe("STALE_LEASE");
  });

  test("CompleteJob, FailJob and heartbeats of held jobs read nothing; a heartbeat keeps its job held", async () => {
    const [beating, failing] = await claim("single", 2);
    const token = (lease: ClaimedJob) => hashLeaseToken(lease.leaseToken);
    repository.reads = 0;
    expect(await service.heartbeat(beating!.job.id, token(beating!), 60)).toMatchObject({ status: "RUNNING" });
    expect(await service.heartbeat(beating!.job.id, token(beating!), 60)).toMatchObject({ status: "RUNNING" });
    expect(await service.complete(beating!.job.id, token(beating!), '"ok"')).toMatchObject({ status: "SUCCEEDED" });
    expect(await service.fail(failing!.job.id, token(failing!), "boom")).toMatchObject({
      status: "FAILED",
      error: "boom",
    });
    expect(repository.reads).toBe(0);
    // Nothing is held for them now: a second report reads the stored job, and is refused on it.
    expect(service.complete(beating!.job.id, token(beating!), '"again"')).rejects.toBeInstanceOf(
      FailedPreconditionError,
    );
    expect(repository.reads).toBe(1);
  });
});
