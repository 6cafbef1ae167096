// The worker SDK's batched acknowledgements against a real jobs server on each
// backend: outcomes go in CompleteJobs calls of ackBatchSize, a partial batch waits
// for its linger, and stop() sends what waits (no acknowledgement is lost).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startJobsFixture, type JobsFixture } from "@platform/jobs/testing";
import { eventually, quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { createWorker, type WorkerHooks, type WorkerOptions } from "./index";

setDefaultTimeout(30_000);

/** Hooks that record each acknowledging call: its method and how many jobs it carried. */
function recordingHooks() {
  const calls: Array<[string, number]> = [];
  /** Every call's method, claims and acknowledgements alike, with then_claim's max_jobs for CompleteJobs. */
  const all: Array<[string, number?]> = [];
  const hooks: WorkerHooks = {
    job: (_, run) => run(),
    call: async (method, request, send) => {
      if (method === "CompleteJobs") calls.push([method, (request as { items: unknown[] }).items.length]);
      if (method === "CompleteJob" || method === "FailJob") calls.push([method, 1]);
      all.push([method, (request as { then_claim?: { max_jobs: number } }).then_claim?.max_jobs]);
      return send();
    },
  };
  return { calls, all, hooks };
}

/** A gate the handlers wait on, and how many of them have returned. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered = 0;
  let returned = 0;
  return {
    handler: async (payload: unknown) => {
      entered++;
      await opened;
      returned++;
      if (payload === "fail") throw new Error("as asked");
      return { ok: payload };
    },
    open: () => open(),
    entered: () => entered,
    returned: () => returned,
  };
}

describe.each(TEST_BACKENDS)("batched acknowledgements on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs?.stop());

  const worker = (options: Partial<WorkerOptions>) =>
    createWorker({ jobsServiceUrl: jobs.target, pollIntervalMs: 25, logger: quietLogger(), ...options });
  const statuses = async (ids: string[]) => Promise.all(ids.map(async (id) => (await jobs.get(id)).status));
  const all = (ids: string[], status: string) =>
    eventually(
      async () => ((await statuses(ids)).every((s) => s === `JOB_STATUS_${status}`) ? true : undefined),
      15_000,
      `every job ${status}`,
    );

  test("outcomes go in full batches of ackBatchSize (successes and failures together), none alone", async () => {
    const created = await jobs.createMany(
      Array.from({ length: 6 }, (_, i) => ({
        job_name: `acked ${i}`,
        kind: "acked",
        payload: i === 4 ? '"fail"' : String(i),
        max_attempts: 1,
      })),
    );
    const ids = created.jobs.map((job) => job.id);
    const { calls, hooks } = recordingHooks();
    const g = gate();
    const w = worker({ concurrency: 6, ackBatchSize: 3, ackLingerMs: 60_000, hooks }).handle("acked", g.handler);
    w.start();
    await eventually(async () => (g.entered() === 6 ? true : undefined), 15_000, "six jobs running");
    g.open();
    await all(
      ids.filter((_, i) => i !== 4),
      "SUCCEEDED",
    );
    expect((await jobs.get(ids[4]!)).status).toBe("JOB_STATUS_FAILED");
    expect(calls).toEqual([
      ["CompleteJobs", 3],
      ["CompleteJobs", 3],
    ]);
    expect(JSON.parse((await jobs.get(ids[0]!)).result)).toEqual({ ok: 0 });
    await w.stop(5_000);
  });

  test("stop() sends the outcomes still waiting for their batch: none is lost", async () => {
    const created = await jobs.createMany([
      { job_name: "held 1", kind: "held", payload: "1" },
      { job_name: "held 2", kind: "held", payload: "2" },
    ]);
    const ids = created.jobs.map((job) => job.id);
    const { calls, hooks } = recordingHooks();
    const g = gate();
    const w = worker({ concurrency: 2, ackBatchSize: 10, ackLingerMs: 60_000, hooks }).handle("held", g.handler);
    w.start();
    await eventually(async () => (g.entered() === 2 ? true : undefined), 15_000, "two jobs running");
    g.open();
    await eventually(async () => (g.returned() === 2 ? true : undefined), 15_000, "both handlers returned");
    // Finished, but their batch is neither full nor past its linger: nothing reported yet.
    expect(await statuses(ids)).toEqual(["JOB_STATUS_RUNNING", "JOB_STATUS_RUNNING"]);
    expect(calls).toEqual([]);
    await w.stop(5_000);
    expect(await statuses(ids)).toEqual(["JOB_STATUS_SUCCEEDED", "JOB_STATUS_SUCCEEDED"]);
    expect(calls).toEqual([["CompleteJobs", 2]]);
  });

  test("ackBatchSize 1 reports each job alone, as CompleteJob or FailJob", async () => {
    const created = await jobs.createMany([
      { job_name: "alone", kind: "alone", payload: "1" },
      { job_name: "alone fails", kind: "alone", payload: '"fail"', max_attempts: 1 },
    ]);
    const { calls, hooks } = recordingHooks();
    const g = gate();
    g.open();
    const w = worker({ concurrency: 2, ackBatchSize: 1, hooks }).handle("alone", g.handler);
    w.start();
    await all([created.jobs[0]!.id], "SUCCEEDED");
    await all([created.jobs[1]!.id], "FAILED");
    expect(calls.map(([method]) => method).sort()).toEqual(["CompleteJob", "FailJob"]);
    await w.stop(5_000);
  });

  test("a busy worker takes its next job in the call that reports the last (then_claim), not in a claim of its own", async () => {
    const created = await jobs.createMany(
      Array.from({ length: 8 }, (_, i) => ({ job_name: `busy ${i}`, kind: "busy", payload: String(i) })),
    );
    const ids = created.jobs.map((job) => job.id);
    const ran: unknown[] = [];
    const run = (w: ReturnType<typeof worker>) =>
      w.handle("busy", async (payload) => {
        ran.push(payload);
        return payload;
      });
    const { all: calls, hooks } = recordingHooks();
    const w = run(worker({ concurrency: 1, hooks }));
    w.start();
    await all(ids, "SUCCEEDED");
    await w.stop(5_000);
    // Each job once, in claim order; one claim found the first, each report brought the next.
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const reports = calls.filter(([method]) => method === "CompleteJobs");
    expect(reports).toEqual(Array.from({ length: 8 }, () => ["CompleteJobs", 1]));
    expect(calls.filter(([method]) => method === "ClaimJob").length).toBeLessThanOrEqual(2);

    // ackBatchSize 1 keeps a call per report and a claim per job.
    const more = await jobs.createMany(
      Array.from({ length: 4 }, (_, i) => ({ job_name: `alone ${i}`, kind: "busy", payload: String(i) })),
    );
    const recorded = recordingHooks();
    const alone = run(worker({ concurrency: 1, ackBatchSize: 1, hooks: recorded.hooks }));
    alone.start();
    await all(
      more.jobs.map((job) => job.id),
      "SUCCEEDED",
    );
    await alone.stop(5_000);
    expect(recorded.all.filter(([method]) => method === "CompleteJobs")).toEqual([]);
    expect(recorded.all.filter(([method]) => method === "ClaimJob").length).toBeGreaterThanOrEqual(4);
  });
});

describe("batched acknowledgement options", () => {
  test("out of range is refused when the worker is created", () => {
    const options = { jobsServiceUrl: "127.0.0.1:1", logger: quietLogger() };
    expect(() => createWorker({ ...options, ackBatchSize: 0 })).toThrow(/ackBatchSize/);
    expect(() => createWorker({ ...options, ackBatchSize: 501 })).toThrow(/ackBatchSize/);
    expect(() => createWorker({ ...options, ackLingerMs: -1 })).toThrow(/ackLingerMs/);
  });
});
