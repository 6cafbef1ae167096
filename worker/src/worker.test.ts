// The reference worker against a real jobs server: built-in kinds, retries,
// cancellation while running, and a graceful stop that finishes or releases.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { quietLogger } from "@platform/kit/testing";
import { startJobsFixture, type JobsFixture } from "@platform/jobs/testing";
import { handleBuiltInKinds } from "./kinds";
import { createWorker } from "./worker";
import { eventually } from "@platform/kit/testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

let jobs: JobsFixture;
beforeAll(async () => {
  jobs = await startJobsFixture("sqlite");
});
afterAll(() => jobs.stop());

const startWorker = (workerId: string) =>
  handleBuiltInKinds(
    createWorker({
      jobsServiceUrl: jobs.target,
      workerId,
      concurrency: 2,
      leaseSeconds: 3,
      // No polling: jobs reach the worker through its waiting claims (and stop() cancels those).
      pollIntervalMs: 600_000,
      claimWaitMs: 20_000,
      logger: quietLogger(),
    }),
  ).start();
const until = (id: string, status: string) =>
  eventually(
    async () => {
      const job = await jobs.get(id);
      return job.status === status ? job : undefined;
    },
    15_000,
    `job ${id} to be ${status}`,
  );

describe("the reference worker", () => {
  test("runs echo, sleep and fail; a failing job is retried until it is FAILED", async () => {
    const worker = startWorker("w-kinds");
    const echo = await jobs.create({ job_name: "e", kind: "echo", payload: '{"x":1}' });
    const sleep = await jobs.create({ job_name: "s", kind: "sleep", payload: '{"ms":50}' });
    const fail = await jobs.create({ job_name: "f", kind: "fail", max_attempts: 2 });
    const badSleep = await jobs.create({ job_name: "b", kind: "sleep", payload: '"soon"', max_attempts: 1 });
    expect((await until(echo.id, "JOB_STATUS_SUCCEEDED")).result).toBe('{"x":1}');
    expect(JSON.parse((await until(sleep.id, "JOB_STATUS_SUCCEEDED")).result)).toEqual({ slept_ms: 50 });
    expect(await until(fail.id, "JOB_STATUS_FAILED")).toMatchObject({
      attempts: 2,
      error: "the fail kind always fails",
    });
    expect((await until(badSleep.id, "JOB_STATUS_FAILED")).error).toContain("sleep needs a payload");
    await worker.stop(5_000);
  });

  test("a job cancelled while running is abandoned, and the worker moves on", async () => {
    const worker = startWorker("w-cancel");
    const long = await jobs.create({ job_name: "long", kind: "sleep", payload: '{"ms":60000}' });
    await until(long.id, "JOB_STATUS_RUNNING");
    await jobs.cancel(long.id);
    const next = await jobs.create({ job_name: "next", kind: "echo", payload: "2" });
    await until(next.id, "JOB_STATUS_SUCCEEDED");
    await eventually(async () => ((await jobs.get(long.id)).status === "JOB_STATUS_CANCELLED" ? true : undefined));
    const started = Date.now();
    await worker.stop(10_000);
    // The cancelled sleep was aborted: stopping does not wait for it.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await jobs.get(long.id)).status).toBe("JOB_STATUS_CANCELLED");
  });

  test("a graceful stop finishes short jobs and releases long ones for another worker", async () => {
    const worker = startWorker("w-stop");
    const short = await jobs.create({ job_name: "short", kind: "sleep", payload: '{"ms":200}' });
    const long = await jobs.create({ job_name: "long", kind: "sleep", payload: '{"ms":60000}', max_attempts: 3 });
    await until(short.id, "JOB_STATUS_RUNNING");
    await until(long.id, "JOB_STATUS_RUNNING");
    await worker.stop(3_000);
    expect((await jobs.get(short.id)).status).toBe("JOB_STATUS_SUCCEEDED");
    const released = await jobs.get(long.id);
    expect(released).toMatchObject({ status: "JOB_STATUS_PENDING", error: "worker stopped", worker_id: "" });
    await jobs.cancel(long.id);
  });
});
