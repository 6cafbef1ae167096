// The worker SDK's claims in batches, against a real jobs server on each backend: one
// dispatcher asks for as many jobs as there are idle slots, so a worker running several
// jobs at once makes fewer ClaimJob calls than it runs jobs, and each job runs once.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startJobsFixture, type JobsFixture } from "@platform/jobs/testing";
import { eventually, quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { createWorker } from "./index";

setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("batched claims on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs?.stop());

  test("concurrency 4 runs 20 jobs, each once, with fewer ClaimJob calls than jobs", async () => {
    const { jobs: created } = await jobs.createMany(
      Array.from({ length: 20 }, (_, i) => ({ job_name: `b${i}`, kind: "batched", payload: String(i) })),
    );
    const claims: number[] = [];
    const runs = new Map<string, number>();
    const worker = createWorker({
      jobsServiceUrl: jobs.target,
      concurrency: 4,
      logger: quietLogger(),
      hooks: {
        job: (_, run) => run(),
        call: (method, request, send) => {
          if (method === "ClaimJob") claims.push((request as { max_jobs: number }).max_jobs);
          return send();
        },
      },
    }).handle<number>("batched", async (n, ctx) => {
      runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1);
      await Bun.sleep(5);
      return n;
    });
    worker.start();
    try {
      for (const job of created)
        await eventually(
          async () => ((await jobs.get(job.id)).status === "JOB_STATUS_SUCCEEDED" ? true : undefined),
          15_000,
          `job ${job.id} to succeed`,
        );
    } finally {
      await worker.stop(5_000);
    }
    expect(runs.size).toBe(20);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // The first claim asks for every idle slot; at most one claim per freed slot follows.
    expect(claims[0]).toBe(4);
    expect(claims.every((n) => n >= 1 && n <= 4)).toBe(true);
    expect(claims.length).toBeLessThan(20);
  });
});
