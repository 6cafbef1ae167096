// Long-poll claims, on each backend: a claim waiting before any job exists gets
// the job created after it (from this replica's own write, and on PostgreSQL
// from another replica's, through NOTIFY); its wait ends empty; a cancelled
// one leases nothing; a wake-up goes to one waiter, not all of them.
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { metricsRegistry } from "@platform/kit";
import { eventually, grpcError } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS, type Backend } from "@platform/kit/testing/db";
import { jobs as jobsProto, type ClaimJobResponse__Output } from "@platform/proto";
import { hashLeaseToken } from "./domain/leaseToken";
import { type JobsFixture, startJobService, startJobsFixture, testNewJob, waitingClaims } from "./testing";

setDefaultTimeout(30_000);

const newJob = (kind: string) => testNewJob("j", kind, { maxAttempts: 3 });

/** A jobs service (use cases over SQL) on `url`, as one replica. */
const replica = (url: string) => startJobService(url, { sweepIntervalMs: 60_000 });

describe.each(TEST_BACKENDS)("long-poll claims on %s", (backend: Backend) => {
  let url: string;
  let a: Awaited<ReturnType<typeof replica>>;
  beforeAll(async () => {
    url = await createTestDatabaseUrl(backend);
    a = await replica(url);
  });
  afterAll(() => a.stop());

  test("a claim waiting before any job exists gets the job created after it", async () => {
    const claim = a.service.claim("w", 30, ["first"], { waitMs: 20_000 });
    await waitingClaims(a.service, 1);
    const { job } = await a.service.create(newJob("first"));
    const claimed = await claim;
    expect(claimed?.job.id).toBe(job.id);
    expect(claimed?.job.status).toBe("RUNNING");
    expect(a.service.waitingClaims).toBe(0);
  });

  test("a job failed back to PENDING wakes a waiting claim once its backoff is over", async () => {
    await a.service.create(newJob("again"));
    const first = await a.service.claim("w", 30, ["again"]);
    const claim = a.service.claim("w", 30, ["again"], { waitMs: 20_000 });
    await waitingClaims(a.service, 1);
    await a.service.fail(first!.job.id, hashLeaseToken(first!.leaseToken), "boom");
    const claimed = await claim;
    expect(claimed?.job.id).toBe(first!.job.id);
    expect(claimed?.job.attempts).toBe(2);
  });

  test("one job wakes one of several waiting claims; the others keep waiting", async () => {
    const claims = [1, 2, 3].map((i) => a.service.claim(`w${i}`, 30, ["one"], { waitMs: 20_000 }));
    await waitingClaims(a.service, 3);
    const { job } = await a.service.create(newJob("one"));
    const winner = await Promise.race(claims);
    expect(winner?.job.id).toBe(job.id);
    await waitingClaims(a.service, 2);
    const { job: second } = await a.service.create(newJob("one"));
    await waitingClaims(a.service, 1);
    const { job: third } = await a.service.create(newJob("one"));
    const ids = (await Promise.all(claims)).map((c) => c?.job.id).sort();
    expect(ids).toEqual([job.id, second.id, third.id].sort());
  });

  test("a waiting claim does not take jobs of kinds it did not ask for", async () => {
    const claim = a.service.claim("w", 30, ["mine"], { waitMs: 20_000 });
    await waitingClaims(a.service, 1);
    const { job: other } = await a.service.create(newJob("theirs"));
    expect(a.service.waitingClaims).toBe(1);
    const { job: mine } = await a.service.create(newJob("mine"));
    expect((await claim)?.job.id).toBe(mine.id);
    expect((await a.service.get(other.id)).status).toBe("PENDING");
  });

  test("an aborted wait ends empty and leases nothing", async () => {
    const aborter = new AbortController();
    const claim = a.service.claim("w", 30, ["aborted"], { waitMs: 20_000, signal: aborter.signal });
    await waitingClaims(a.service, 1);
    aborter.abort();
    expect(await claim).toBeUndefined();
    const { job } = await a.service.create(newJob("aborted"));
    expect((await a.service.get(job.id)).status).toBe("PENDING");
  });

  if (backend === "postgres")
    test("a claim waiting on one replica gets a job created through another (NOTIFY)", async () => {
      const b = await replica(url);
      try {
        const claim = a.service.claim("w", 30, ["elsewhere"], { waitMs: 20_000 });
        await waitingClaims(a.service, 1);
        const { job } = await b.service.create(newJob("elsewhere"));
        expect((await claim)?.job.id).toBe(job.id);
      } finally {
        await b.stop();
      }
    });

  if (backend === "postgres")
    test("a watcher of a job on one replica hears of its changes through another (NOTIFY)", async () => {
      const b = await replica(url);
      try {
        const { job } = await a.service.create(newJob("watched-elsewhere"));
        const heard: number[] = [];
        let changed: () => void = () => {};
        const stop = a.service.onAnyChange(job.id, () => {
          heard.push(job.id);
          changed();
        });
        const { job: other } = await a.service.create(newJob("watched-elsewhere"));
        const once = new Promise<void>((resolve) => (changed = resolve));
        await b.service.cancel(job.id);
        await once;
        stop();
        await b.service.cancel(other.id);
        expect(heard).toEqual([job.id]);
      } finally {
        await b.stop();
      }
    });
});

describe.each(TEST_BACKENDS)("ClaimJob with wait_ms on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs.stop());

  /** Waits until the server is serving `count` ClaimJob calls (its in-flight gauge). */
  const claimsInFlight = (count: number) =>
    eventually(async () => {
      const gauge = await metricsRegistry.getSingleMetric("grpc_server_in_flight")?.get();
      const now = gauge?.values.find((v) => v.labels.grpc_method === "ClaimJob")?.value ?? 0;
      return now === count ? true : undefined;
    });

  const claimCall = (request: object, deadlineMs = 30_000) => {
    let call: grpc.ClientUnaryCall | undefined;
    const answer = new Promise<ClaimJobResponse__Output>((resolve, reject) => {
      call = jobs.client.makeUnaryRequest(
        jobsProto.JobsService.service.ClaimJob.path,
        jobsProto.JobsService.service.ClaimJob.requestSerialize,
        jobsProto.JobsService.service.ClaimJob.responseDeserialize,
        { worker_id: "w", lease_seconds: 30, kinds: [], wait_ms: 0, ...request },
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (error, response) => (error ? reject(error) : resolve(response as ClaimJobResponse__Output)),
      );
    });
    return { answer, cancel: () => call!.cancel() };
  };

  test("a waiting ClaimJob returns the job created after it was sent", async () => {
    const { answer } = claimCall({ kinds: ["grpc-wait"], wait_ms: 20_000 });
    await claimsInFlight(1);
    const job = await jobs.create({ job_name: "late", kind: "grpc-wait" });
    const { job: claimed, lease_token } = await answer;
    expect(claimed?.id).toBe(job.id);
    expect(lease_token).not.toBe("");
  });

  test("when wait_ms passes with nothing ready, the answer is empty", async () => {
    const { job, lease_token } = await claimCall({ kinds: ["never"], wait_ms: 50 }).answer;
    expect(job).toBeNull();
    expect(lease_token).toBe("");
  });

  test("a wait longer than the call's deadline ends empty just before it, not DEADLINE_EXCEEDED", async () => {
    const { job } = await claimCall({ kinds: ["never"], wait_ms: 20_000 }, 1_000).answer;
    expect(job).toBeNull();
  });

  test("a cancelled ClaimJob leases nothing: the job created afterwards stays PENDING for the next claim", async () => {
    const { answer, cancel } = claimCall({ kinds: ["cancelled"], wait_ms: 20_000 });
    await claimsInFlight(1);
    cancel();
    expect((await grpcError(answer)).code).toBe(grpc.status.CANCELLED);
    await claimsInFlight(0);
    const job = await jobs.create({ job_name: "after", kind: "cancelled" });
    expect((await jobs.get(job.id)).status).toBe("JOB_STATUS_PENDING");
    expect((await jobs.claim("next", ["cancelled"]))?.job.id).toBe(job.id);
  });

  test("wait_ms out of range is INVALID_ARGUMENT", async () => {
    for (const wait_ms of [-1, 30_001]) {
      const error = await grpcError(claimCall({ kinds: ["x"], wait_ms }).answer);
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain("wait_ms");
    }
  });
});
