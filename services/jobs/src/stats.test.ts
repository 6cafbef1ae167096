// Queue observability and retention, on SQLite and PostgreSQL: GetJobStats
// counts (owner-scoped), the Prometheus metrics on a metrics port, and the
// retention task deleting only old finished jobs, in batches.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Retention, startMetricsServer, type RunningMetricsServer } from "@platform/kit";
import { call, quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { JobStats__Output } from "@platform/proto";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { startJobsFixture, TEST_OWNER, type JobsFixture } from "./testing";

setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("job stats and retention on %s", (backend) => {
  let jobs: JobsFixture;
  let metrics: RunningMetricsServer;
  // Kinds of this backend only: the metrics registry is shared by the whole test process.
  const kind = (name: string) => `${name}-${backend}`;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend, { JOBS_STATS_CACHE_MS: 0, JOBS_RETENTION_DAYS: 0 });
    metrics = startMetricsServer({ host: "127.0.0.1", port: 0, logger: quietLogger() });
  });
  afterAll(async () => {
    await metrics.stop();
    await jobs.stop();
  });

  const stats = (owner = "") => call<object, JobStats__Output>(jobs.client, "GetJobStats", { owner });
  const scrape = async () => (await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).text();
  const sample = (text: string, name: string, labels: string): number | undefined => {
    const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
    return line === undefined ? undefined : Number(line.split(" ").at(-1));
  };

  test("GetJobStats counts per kind and status; a user sees only their own", async () => {
    const a = kind("stats-a");
    const b = kind("stats-b");
    await jobs.create({ job_name: "p1", kind: a });
    await jobs.create({ job_name: "p2", kind: a });
    await jobs.create({ job_name: "other", kind: a, owner: "someone-else" });
    await jobs.create({ job_name: "run", kind: b });
    await jobs.create({ job_name: "done", kind: b });
    const first = await jobs.claim("w", [b]);
    await jobs.complete(first!.job.id, first!.lease_token);
    const second = await jobs.claim("w", [b]);
    expect(second).not.toBeNull();

    const all = await stats();
    const ofA = all.kinds.find((k) => k.kind === a)!;
    const ofB = all.kinds.find((k) => k.kind === b)!;
    expect([Number(ofA.pending), Number(ofA.running)]).toEqual([3, 0]);
    expect(ofA.oldest_pending_age_seconds).toBeGreaterThanOrEqual(0);
    expect([Number(ofB.pending), Number(ofB.running), Number(ofB.succeeded)]).toEqual([0, 1, 1]);
    expect(ofB.oldest_pending_age_seconds).toBe(0);

    const mine = await stats(TEST_OWNER);
    expect(Number(mine.kinds.find((k) => k.kind === a)!.pending)).toBe(2);
    const theirs = await stats("someone-else");
    expect(theirs.kinds.map((k) => [k.kind, Number(k.pending)])).toEqual([[a, 1]]);
  });

  test("the queue gauges and the event counters appear on the metrics port", async () => {
    const q = kind("metered");
    await jobs.create({ job_name: "one", kind: q });
    await jobs.create({ job_name: "two", kind: q });
    await jobs.create({ job_name: "three", kind: q });
    let text = await scrape();
    expect(sample(text, "jobs_queue_depth", `kind="${q}",queue="default"`)).toBe(3);
    expect(sample(text, "jobs_queue_oldest_age_seconds", `kind="${q}",queue="default"`)).toBeGreaterThanOrEqual(0);

    const ok = await jobs.claim("w", [q]);
    await jobs.complete(ok!.job.id, ok!.lease_token);
    const bad = await jobs.claim("w", [q]);
    await jobs.fail(bad!.job.id, bad!.lease_token, "boom");
    const running = await jobs.claim("w", [q]);
    expect(running).not.toBeNull();
    text = await scrape();
    expect(sample(text, "jobs_claimed_total", `kind="${q}"`)).toBe(3);
    expect(sample(text, "jobs_finished_total", `kind="${q}",outcome="SUCCEEDED"`)).toBe(1);
    expect(sample(text, "jobs_run_duration_seconds_count", `kind="${q}",outcome="SUCCEEDED"`)).toBe(1);
    // The failed attempt is retried (PENDING again, with backoff): not final, not counted as finished.
    expect(sample(text, "jobs_finished_total", `kind="${q}",outcome="FAILED"`)).toBeUndefined();
    expect(sample(text, "jobs_queue_depth", `kind="${q}",queue="default"`)).toBe(1);
    expect(sample(text, "jobs_by_status", `kind="${q}",queue="default",status="RUNNING"`)).toBe(1);
    expect(sample(text, "jobs_by_status", `kind="${q}",queue="default",status="SUCCEEDED"`)).toBe(1);

    await jobs.cancel(running!.job.id);
    text = await scrape();
    expect(sample(text, "jobs_finished_total", `kind="${q}",outcome="CANCELLED"`)).toBe(1);
  });

  test("a lease that runs out is counted", async () => {
    const q = kind("expiring");
    await jobs.create({ job_name: "slow", kind: q });
    await jobs.claim("w", [q], 1);
    // The lease sweeper (every 100 ms here) returns it; then it is claimable again.
    let again = null;
    while (!again) again = await jobs.claim("w2", [q]);
    expect(sample(await scrape(), "jobs_lease_expired_total", `kind="${q}"`)).toBe(1);
  });

  test("retention deletes old finished jobs in batches and never PENDING or RUNNING ones", async () => {
    const q = kind("retained");
    const repository = new SqlJobRepository(jobs.db);
    const finished: string[] = [];
    for (let i = 0; i < 5; i++) {
      await jobs.create({ job_name: `old ${i}`, kind: q });
      const lease = await jobs.claim("w", [q]);
      finished.push((await jobs.complete(lease!.job.id, lease!.lease_token)).id);
    }
    const cancelled = await jobs.cancel((await jobs.create({ job_name: "cancelled", kind: q })).id);
    await jobs.create({ job_name: "running", kind: q });
    const lease = await jobs.claim("w", [q]);
    const pending = await jobs.create({ job_name: "pending", kind: q });

    const batches: number[] = [];
    let now = new Date();
    const retention = new Retention({
      name: "jobs",
      maxAgeMs: 24 * 60 * 60_000,
      intervalMs: 1_000,
      batchSize: 2,
      pauseMs: 0,
      deleteBatch: (cutoff, limit) => repository.deleteFinishedBefore(cutoff, limit),
      onDeleted: (n) => batches.push(n),
      now: () => now,
      logger: quietLogger(),
    });
    // Nothing is a day old yet.
    expect(await retention.runOnce()).toBe(0);
    now = new Date(Date.now() + 2 * 24 * 60 * 60_000);
    const deleted = await retention.runOnce();
    expect(deleted).toBeGreaterThanOrEqual(6);
    expect(batches.every((n) => n <= 2)).toBe(true);
    for (const id of [...finished, cancelled.id]) expect(await repository.get(Number(id))).toBeUndefined();
    expect((await jobs.get(lease!.job.id)).status).toBe("JOB_STATUS_RUNNING");
    expect((await jobs.get(pending.id)).status).toBe("JOB_STATUS_PENDING");
    const left = await stats();
    expect(left.kinds.find((k) => k.kind === q)).toMatchObject({ pending: "1", running: "1", succeeded: "0" });
    expect(await retention.runOnce()).toBe(0);
  });
});
