// The worker SDK (createWorker / handle / start / stop) in-process against a real
// jobs server on each backend: results, throws and retries, schemas, only the
// registered kinds claimed, and ctx.signal on stop, on cancel and on a lost lease.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startJobsFixture, type JobsFixture } from "@platform/jobs/testing";
import { eventually, quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { z } from "zod";
import { createWorker, LeaseLost, WorkerStopped, type JobContext, type WorkerOptions } from "./index";

setDefaultTimeout(30_000);

describe("the worker SDK, without a server", () => {
  const options = { jobsServiceUrl: "127.0.0.1:1", logger: quietLogger() };

  test("bad options are refused when the worker is created, naming the option", () => {
    expect(() => createWorker({ ...options, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createWorker({ ...options, leaseSeconds: Number.NaN })).toThrow(/leaseSeconds/);
    expect(() => createWorker({ ...options, jobsServiceUrl: "" })).toThrow(/jobsServiceUrl/);
    expect(() => createWorker({ ...options, queues: ["Not A Queue"] })).toThrow(/queues/);
  });

  test("a kind must be a valid, new name; handlers come before start; start needs one", () => {
    const worker = createWorker(options);
    expect(() => worker.handle("Resize Image", async () => null)).toThrow(/lowercase name/);
    expect(() => worker.start()).toThrow(/at least one handler/);
    worker.handle("resize-image", async () => null);
    expect(() => worker.handle("resize-image", async () => null)).toThrow(/already has a handler/);
    expect(worker.kinds).toEqual(["resize-image"]);
    worker.start();
    expect(() => worker.handle("later", async () => null)).toThrow(/before start/);
    return worker.stop(1_000);
  });
});

describe.each(TEST_BACKENDS)("the worker SDK on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs?.stop());

  const worker = (options: Partial<WorkerOptions> = {}) =>
    createWorker({ jobsServiceUrl: jobs.target, pollIntervalMs: 25, logger: quietLogger(), ...options });
  const until = (id: string, status: string) =>
    eventually(
      async () => {
        const job = await jobs.get(id);
        return job.status === `JOB_STATUS_${status}` ? job : undefined;
      },
      15_000,
      `job ${id} to be ${status}`,
    );

  test("the handler gets the parsed payload and the job; its return value is the result", async () => {
    const seen: JobContext["job"][] = [];
    const w = worker({ workerId: "w-result" })
      .handle<{ n: number }>("double", async (payload, ctx) => {
        seen.push(ctx.job);
        return { doubled: payload.n * 2 };
      })
      .handle("nothing", () => undefined)
      .start();
    const job = await jobs.create({ job_name: "twice", kind: "double", payload: '{"n":21}', max_attempts: 4 });
    const none = await jobs.create({ job_name: "none", kind: "nothing" });
    expect(JSON.parse((await until(job.id, "SUCCEEDED")).result)).toEqual({ doubled: 42 });
    expect((await until(none.id, "SUCCEEDED")).result).toBe("null");
    expect(seen).toEqual([{ id: job.id, name: "twice", kind: "double", attempts: 1, maxAttempts: 4 }]);
    await w.stop(5_000);
  });

  test("a throw fails the attempt with its message, and the job is retried", async () => {
    const attempts: number[] = [];
    const w = worker({ workerId: "w-throw" })
      .handle("flaky", async (_, { job }) => {
        attempts.push(job.attempts);
        if (job.attempts < 3) throw new Error(`boom on attempt ${job.attempts}`);
        return "third time lucky";
      })
      .handle("broken", async (_, { job }) => {
        throw new Error(`broken on attempt ${job.attempts}`);
      })
      .handle("throws-text", async () => {
        throw "plain text";
      })
      .start();
    const flaky = await jobs.create({ job_name: "flaky", kind: "flaky", max_attempts: 3 });
    const broken = await jobs.create({ job_name: "broken", kind: "broken", max_attempts: 2 });
    const text = await jobs.create({ job_name: "text", kind: "throws-text", max_attempts: 1 });
    expect(await until(flaky.id, "SUCCEEDED")).toMatchObject({ attempts: 3, result: '"third time lucky"' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(await until(broken.id, "FAILED")).toMatchObject({ attempts: 2, error: "broken on attempt 2" });
    expect(await until(text.id, "FAILED")).toMatchObject({ attempts: 1, error: "plain text" });
    await w.stop(5_000);
  });

  test("a schema checks the payload first; results that are not JSON or too large fail the attempt", async () => {
    let ran = 0;
    const w = worker({ workerId: "w-schema" })
      .handle("strict", z.object({ url: z.string().url() }), async ({ url }) => {
        ran++;
        return new URL(url).hostname;
      })
      .handle("bigint", async () => ({ n: 1n }))
      .handle("huge", async () => "x".repeat(100 * 1024))
      .start();
    const good = await jobs.create({ job_name: "good", kind: "strict", payload: '{"url":"https://example.com/a"}' });
    const bad = await jobs.create({ job_name: "bad", kind: "strict", payload: '{"url":42}', max_attempts: 1 });
    const bigint = await jobs.create({ job_name: "bigint", kind: "bigint", max_attempts: 1 });
    const huge = await jobs.create({ job_name: "huge", kind: "huge", max_attempts: 1 });
    expect((await until(good.id, "SUCCEEDED")).result).toBe('"example.com"');
    expect((await until(bad.id, "FAILED")).error).toStartWith("invalid payload: url: ");
    expect(ran).toBe(1);
    expect((await until(bigint.id, "FAILED")).error).toStartWith("the result is not JSON: ");
    expect((await until(huge.id, "FAILED")).error).toStartWith("the result was refused: ");
    await w.stop(5_000);
  });

  test("jobs of kinds without a handler are never claimed", async () => {
    const w = worker({ workerId: "w-kinds", concurrency: 2 })
      .handle("known", async () => "done")
      .start();
    const unknown = await jobs.create({ job_name: "unknown", kind: "nobody-serves-this" });
    const known = await jobs.create({ job_name: "known", kind: "known" });
    await until(known.id, "SUCCEEDED");
    const again = await jobs.create({ job_name: "known again", kind: "known" });
    await until(again.id, "SUCCEEDED");
    expect(await jobs.get(unknown.id)).toMatchObject({ status: "JOB_STATUS_PENDING", attempts: 0, worker_id: "" });
    await w.stop(5_000);
    await jobs.cancel(unknown.id);
  });

  test("a worker with queues claims only jobs in those queues", async () => {
    const w = worker({ workerId: "w-queues", queues: ["fast"] })
      .handle("queued", async () => "done")
      .start();
    const slow = await jobs.create({ job_name: "slow lane", kind: "queued", queue: "slow" });
    const fast = await jobs.create({ job_name: "fast lane", kind: "queued", queue: "fast" });
    await until(fast.id, "SUCCEEDED");
    const again = await jobs.create({ job_name: "fast again", kind: "queued", queue: "fast" });
    await until(again.id, "SUCCEEDED");
    expect(await jobs.get(slow.id)).toMatchObject({ status: "JOB_STATUS_PENDING", attempts: 0 });
    await w.stop(5_000);
    await jobs.cancel(slow.id);
  });

  test("stop aborts ctx.signal after the grace period and releases the jobs, heeded or not", async () => {
    const reasons: unknown[] = [];
    const running = new Set<string>();
    const w = worker({ workerId: "w-stop", concurrency: 2 })
      .handle("heeds", (_, ctx) => {
        running.add(ctx.job.id);
        return new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => {
            reasons.push(ctx.signal.reason);
            reject(new Error("interrupted"));
          }),
        );
      })
      .handle("ignores", (_, ctx) => {
        running.add(ctx.job.id);
        return new Promise(() => {}); // never settles, never looks at the signal
      })
      .start();
    const heeds = await jobs.create({ job_name: "heeds", kind: "heeds", max_attempts: 3 });
    const ignores = await jobs.create({ job_name: "ignores", kind: "ignores", max_attempts: 3 });
    await eventually(async () => (running.size === 2 ? true : undefined));
    await w.stop(100);
    expect(w.runningJobs).toBe(0);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(WorkerStopped);
    for (const id of [heeds.id, ignores.id]) {
      expect(await jobs.get(id)).toMatchObject({
        status: "JOB_STATUS_PENDING",
        attempts: 1,
        error: "worker stopped",
        worker_id: "",
      });
      await jobs.cancel(id);
    }
  });

  test("a cancelled job aborts ctx.signal with LeaseLost, and nothing is reported for it", async () => {
    const aborted = Promise.withResolvers<unknown>();
    const started = Promise.withResolvers<void>();
    const w = worker({ workerId: "w-cancelled", leaseSeconds: 3, heartbeatMs: 100 })
      .handle("cancel-me", async (_, ctx) => {
        started.resolve();
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        aborted.resolve(ctx.signal.reason);
        return "too late";
      })
      .start();
    const job = await jobs.create({ job_name: "cancel me", kind: "cancel-me" });
    await started.promise;
    await jobs.cancel(job.id);
    expect(await aborted.promise).toBeInstanceOf(LeaseLost);
    await w.stop(5_000);
    expect(await jobs.get(job.id)).toMatchObject({ status: "JOB_STATUS_CANCELLED", result: "" });
  });

  test("a lost lease (claimed by another after it expired) aborts ctx.signal; the other claimer's outcome stands", async () => {
    const aborted = Promise.withResolvers<unknown>();
    const started = Promise.withResolvers<void>();
    // Heartbeats slower than the lease, so it expires while the handler runs.
    const w = worker({ workerId: "w-lost", concurrency: 1, leaseSeconds: 1, heartbeatMs: 3_000 })
      .handle("slow-lease", async (_, ctx) => {
        started.resolve();
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        aborted.resolve(ctx.signal.reason);
        return "from the first worker";
      })
      .start();
    const job = await jobs.create({ job_name: "lost", kind: "slow-lease", max_attempts: 5 });
    await started.promise;
    const thief = await eventually(async () => (await jobs.claim("thief", ["slow-lease"], 60)) ?? undefined);
    expect(thief.job.id).toBe(job.id);
    const reason = await aborted.promise;
    expect(reason).toBeInstanceOf(LeaseLost);
    await w.stop(5_000);
    // The first worker reported nothing: the job is the thief's to finish.
    expect(await jobs.get(job.id)).toMatchObject({ status: "JOB_STATUS_RUNNING", worker_id: "thief", result: "" });
    await jobs.complete(job.id, thief.lease_token, '"from the thief"');
    expect((await jobs.get(job.id)).result).toBe('"from the thief"');
  });
});
