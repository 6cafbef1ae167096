// Concurrency at the gRPC level, on each backend: claimers racing for the same
// jobs never share one, and a thousand jobs through concurrent workers all end
// SUCCEEDED, each run exactly once.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startJobsFixture, type JobsFixture } from "./testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("claiming on %s", (backend) => {
  let jobs: JobsFixture;
  beforeAll(async () => {
    jobs = await startJobsFixture(backend);
  });
  afterAll(() => jobs.stop());

  const createMany = async (count: number, kind: string) => {
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, j) =>
          jobs.create({ job_name: `job ${i + j}`, kind, payload: String(i + j) }),
        ),
      );
    }
  };

  test("forty workers claiming twenty jobs at once: each job goes to exactly one", async () => {
    await createMany(20, "race");
    const claims = await Promise.all(Array.from({ length: 40 }, (_, i) => jobs.claim(`racer-${i}`, ["race"])));
    const won = claims.filter((lease) => lease !== null);
    expect(won).toHaveLength(20);
    expect(new Set(won.map((lease) => lease!.job.id)).size).toBe(20);
    expect(new Set(won.map((lease) => lease!.lease_token)).size).toBe(20);
  });

  test("1,000 jobs through 16 concurrent workers all end SUCCEEDED, each run exactly once", async () => {
    const total = 1000;
    await createMany(total, "bulk");
    const runs = new Map<string, number>();
    const worker = async (name: string) => {
      let idle = 0;
      while (idle < 3) {
        const lease = await jobs.claim(name, ["bulk"]);
        if (!lease) {
          idle++;
          await Bun.sleep(20);
          continue;
        }
        idle = 0;
        const { job, lease_token } = lease;
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await jobs.complete(job.id, lease_token, job.payload);
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, i) => worker(`bulk-${i}`)));
    expect(runs.size).toBe(total);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    let token = "";
    let succeeded = 0;
    do {
      const page = await jobs.list({ page_size: 500, page_token: token, status: "JOB_STATUS_SUCCEEDED" });
      succeeded += page.jobs.filter((j) => j.kind === "bulk" && j.attempts === 1).length;
      token = page.next_page_token;
    } while (token);
    expect(succeeded).toBe(total);
  }, 60_000);
});
