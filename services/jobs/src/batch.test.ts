// Batches over a real gRPC server, on SQLite and on PostgreSQL: a claim that leases
// several jobs at once (max_jobs), each under its own token, and CreateJobs (all or none).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { grpcError } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS, type Backend } from "@platform/kit/testing/db";
import type { SqlJobRepository } from "./store/sqlJobRepository";
import {
  type JobsFixture,
  type RunningJobService,
  startJobService,
  startJobsFixture,
  testNewJob,
  waitingClaims,
} from "./testing";
import type { JobService } from "./usecases/jobService";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("batches on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs.stop());

  test("a batch claim leases up to N distinct jobs in priority then age order, each completable with its own token", async () => {
    const { jobs: created } = await jobs.createMany([
      { job_name: "low", kind: "order" },
      { job_name: "high", kind: "order", priority: 5 },
      { job_name: "older", kind: "order" },
      { job_name: "newer", kind: "order" },
      { job_name: "left", kind: "order", priority: -1 },
    ]);
    expect(created.map((job) => job.job_name)).toEqual(["low", "high", "older", "newer", "left"]);
    const leases = await jobs.claimMany("batcher", 4, ["order"]);
    expect(leases.map((lease) => lease.job.job_name)).toEqual(["high", "low", "older", "newer"]);
    expect(new Set(leases.map((lease) => lease.lease_token)).size).toBe(4);
    expect(leases.every((lease) => lease.job.status === "JOB_STATUS_RUNNING")).toBe(true);
    // Each token belongs to its own job only.
    const [first, second] = leases;
    expect((await grpcError(jobs.complete(first!.job.id, second!.lease_token))).code).toBe(
      grpc.status.PERMISSION_DENIED,
    );
    for (const lease of leases)
      expect((await jobs.complete(lease.job.id, lease.lease_token)).status).toBe("JOB_STATUS_SUCCEEDED");
    // The rest: one left, then nothing.
    expect((await jobs.claimMany("batcher", 4, ["order"])).map((lease) => lease.job.job_name)).toEqual(["left"]);
    expect(await jobs.claimMany("batcher", 4, ["order"])).toEqual([]);
  });

  test("the single job and lease_token fields carry the first of a batch", async () => {
    await jobs.createMany([
      { job_name: "a", kind: "compat" },
      { job_name: "b", kind: "compat" },
    ]);
    const lease = await jobs.claim("compat", ["compat"]);
    expect(lease?.job.job_name).toBe("a");
    const [rest] = await jobs.claimMany("compat", 2, ["compat"]);
    expect(rest?.job.job_name).toBe("b");
  });

  test("concurrent batch claimers never get the same job", async () => {
    await jobs.createMany(Array.from({ length: 60 }, (_, i) => ({ job_name: `race ${i}`, kind: "batch-race" })));
    const batches = await Promise.all(
      Array.from({ length: 8 }, (_, i) => jobs.claimMany(`racer-${i}`, 10, ["batch-race"])),
    );
    let leases = batches.flat();
    // Whatever the race left behind is still there for one more claim.
    leases = leases.concat(await jobs.claimMany("sweeper", 100, ["batch-race"]));
    expect(leases).toHaveLength(60);
    expect(new Set(leases.map((lease) => lease.job.id)).size).toBe(60);
    expect(new Set(leases.map((lease) => lease.lease_token)).size).toBe(60);
  });

  test("max_jobs out of range is INVALID_ARGUMENT", async () => {
    const error = await grpcError(jobs.claimMany("w", 101, ["nothing"]));
    expect([error.code, error.details]).toEqual([grpc.status.INVALID_ARGUMENT, "max_jobs: must be between 0 and 100"]);
  });

  test("CreateJobs is all or none: one bad item creates nothing and names jobs.<i>.<field>", async () => {
    const before = (await jobs.list({ page_size: 1000 })).jobs.length;
    const error = await grpcError(
      jobs.createMany([
        { job_name: "fine", kind: "atomic" },
        { job_name: "", kind: "atomic" },
        { job_name: "keyed", kind: "atomic", idempotency_key: "k1" },
      ]),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("jobs.1.job_name: must not be empty");
    expect(error.details).toContain("jobs.2.idempotency_key");
    expect((await jobs.list({ page_size: 1000 })).jobs.length).toBe(before);
    expect((await grpcError(jobs.createMany([]))).details).toBe("jobs: must not be empty");
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ job_name: `n${i}` }));
    expect((await grpcError(jobs.createMany(tooMany))).details).toBe("jobs: must be at most 500");
  });
});

describe.each(TEST_BACKENDS)("batch wake-ups on %s", (backend: Backend) => {
  let running: RunningJobService<SqlJobRepository>;
  let service: JobService;
  beforeAll(async () => {
    running = await startJobService(await createTestDatabaseUrl(backend));
    service = running.service;
  });
  afterAll(() => running.stop());

  test("createMany wakes one waiting claim per created job", async () => {
    const claims = Array.from({ length: 3 }, (_, i) => service.claim(`w${i}`, 30, ["woken"], { waitMs: 20_000 }));
    await waitingClaims(service, 3);
    await service.createMany([testNewJob("w1", "woken"), testNewJob("w2", "woken"), testNewJob("w3", "woken")]);
    const names = (await Promise.all(claims)).map((claimed) => claimed?.job.name ?? "");
    expect(names.sort()).toEqual(["w1", "w2", "w3"]);
  });

  test("a full batch taken by a waiting claim still wakes another waiter for the jobs left", async () => {
    const batch = service.claimMany("batch", 30, ["left"], { waitMs: 20_000, maxJobs: 2 });
    await waitingClaims(service, 1);
    const single = service.claim("single", 30, ["left"], { waitMs: 20_000 });
    await waitingClaims(service, 2);
    // Three jobs in one call: the batch claimer (woken first) may take two; the other waiter gets the third.
    await service.createMany([testNewJob("l1", "left"), testNewJob("l2", "left"), testNewJob("l3", "left")]);
    const [taken, one] = await Promise.all([batch, single]);
    expect([...taken.map((c) => c.job.name), one?.job.name].sort()).toEqual(["l1", "l2", "l3"]);
  });
});
