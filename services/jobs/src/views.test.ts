// What the console's queue and job views read, on SQLite and PostgreSQL: GetJobStats
// per (kind, queue) beside the per-kind totals, the queue gauges labelled by kind
// and queue, and ListJobs filtered by kind and queue (bad filters INVALID_ARGUMENT).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { startMetricsServer, type RunningMetricsServer } from "@platform/kit";
import { call, grpcError, quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { JobStats__Output } from "@platform/proto";
import { startJobsFixture, type JobsFixture } from "./testing";

setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("queue views on %s", (backend) => {
  let jobs: JobsFixture;
  let metrics: RunningMetricsServer;
  // Kinds of this backend only: the metrics registry is shared by the whole test process.
  const kind = (name: string) => `${name}-${backend}`;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend, { JOBS_STATS_CACHE_MS: 0 });
    metrics = startMetricsServer({ host: "127.0.0.1", port: 0, logger: quietLogger() });
  });
  afterAll(async () => {
    await metrics.stop();
    await jobs.stop();
  });

  const stats = () => call<object, JobStats__Output>(jobs.client, "GetJobStats", { owner: "" });

  test("GetJobStats counts per kind and per (kind, queue); the gauges carry both labels", async () => {
    const k = kind("split");
    await jobs.create({ job_name: "a1", kind: k });
    await jobs.create({ job_name: "a2", kind: k });
    await jobs.create({ job_name: "b1", kind: k, queue: "bulk" });
    await jobs.create({ job_name: "b2", kind: k, queue: "bulk" });
    const lease = await jobs.claim("w", [k]); // a1, the oldest
    await jobs.complete(lease!.job.id, lease!.lease_token);

    const all = await stats();
    expect(all.kinds.find((s) => s.kind === k)).toMatchObject({ queue: "", pending: "3", succeeded: "1" });
    const rows = all.queues.filter((s) => s.kind === k);
    expect(rows.map((s) => [s.queue, Number(s.pending), Number(s.succeeded)])).toEqual([
      ["bulk", 2, 0],
      ["default", 1, 1],
    ]);
    // In kind, then queue order.
    const keys = all.queues.map((s) => `${s.kind}\u0000${s.queue}`);
    expect(keys).toEqual([...keys].sort());

    const text = await (await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).text();
    const sample = (name: string, labels: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(`${name}{${labels}}`))
          ?.split(" ")
          .at(-1),
      );
    expect(sample("jobs_queue_depth", `kind="${k}",queue="default"`)).toBe(1);
    expect(sample("jobs_queue_depth", `kind="${k}",queue="bulk"`)).toBe(2);
    expect(sample("jobs_by_status", `kind="${k}",queue="default",status="SUCCEEDED"`)).toBe(1);
  });

  test("ListJobs filters by kind, queue and status together; pages stay in id order", async () => {
    const k = kind("listed");
    const other = kind("other");
    const made = [];
    for (const [name, k2, queue] of [
      ["d1", k, ""],
      ["x1", other, ""],
      ["b1", k, "bulk"],
      ["d2", k, ""],
      ["b2", k, "bulk"],
    ] as const) {
      made.push(await jobs.create({ job_name: name, kind: k2, queue }));
    }
    const names = async (request: Parameters<JobsFixture["list"]>[0]) =>
      (await jobs.list({ page_size: 500, ...request })).jobs.map((j) => j.job_name);
    expect(await names({ kind: k })).toEqual(["d1", "b1", "d2", "b2"]);
    expect(await names({ kind: k, queue: "bulk" })).toEqual(["b1", "b2"]);
    expect(await names({ kind: other, queue: "default" })).toEqual(["x1"]);
    await jobs.cancel(made[2]!.id);
    expect(await names({ kind: k, queue: "bulk", status: "JOB_STATUS_CANCELLED" })).toEqual(["b1"]);
    expect(await names({ kind: k, owner: "someone-else" })).toEqual([]);
    const first = await jobs.list({ page_size: 1, kind: k, queue: "default" });
    const second = await jobs.list({ page_size: 1, kind: k, queue: "default", page_token: first.next_page_token });
    expect([...first.jobs, ...second.jobs].map((j) => j.job_name)).toEqual(["d1", "d2"]);
  });

  test("a malformed kind or queue filter is INVALID_ARGUMENT naming the field", async () => {
    const kindError = await grpcError(jobs.list({ kind: "Bad Kind" }));
    expect(kindError.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(kindError.details).toStartWith("kind: ");
    const queueError = await grpcError(jobs.list({ kind: "ok", queue: "no spaces" }));
    expect(queueError.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(queueError.details).toStartWith("queue: ");
  });
});
