import { describe, expect, test } from "bun:test";
import { testNewJob } from "../testing";
import type { Job } from "../domain/job";
import { LeasedJobs } from "./leasedJobs";

const job = (id: number, payload: string | null = '{"big":true}'): Job =>
  ({ ...testNewJob(`job ${id}`, "k"), id, payload }) as unknown as Job;

describe("LeasedJobs", () => {
  test("holds a job without its payload and gives it out once", () => {
    const leased = new LeasedJobs();
    leased.hold(job(1));
    expect(leased.take(1)).toMatchObject({ id: 1, name: "job 1", payload: null });
    expect(leased.take(1)).toBeUndefined();
    expect(leased.take(2)).toBeUndefined();
  });

  test("past its capacity the oldest held job is dropped; holding a job again makes it the newest", () => {
    const leased = new LeasedJobs(3);
    for (const id of [1, 2, 3]) leased.hold(job(id));
    leased.hold(job(1, null));
    leased.hold(job(4));
    expect(leased.size).toBe(3);
    expect(leased.take(2)).toBeUndefined();
    expect([1, 3, 4].map((id) => leased.take(id)?.id)).toEqual([1, 3, 4]);
  });
});
