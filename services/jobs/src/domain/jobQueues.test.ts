// The job's pure rules for priorities, queues, delayed jobs, expiry and run timeouts
// (the rest of job.ts is job.test.ts's subject). Time is passed in.
import { describe, expect, test } from "bun:test";
import type { InvalidArgumentError } from "@platform/kit";
import { expire, timeOut, validateNewJob } from "./job";

import { job, later, now, policy } from "./testJobs";

const input = { name: "nightly report", kind: "", payload: "", maxAttempts: 0, idempotencyKey: "", owner: "alice" };

describe("priority, queue, run_at and expires_at", () => {
  const problems = (extra: Parameters<typeof validateNewJob>[0] extends infer I ? Partial<I> : never) => {
    try {
      validateNewJob({ ...input, ...extra }, now);
      return [];
    } catch (error) {
      return (error as InvalidArgumentError).violations.map((v) => v.field);
    }
  };

  test("valid values are kept; run_at in the past or unset means now", () => {
    const runAt = later(60_000);
    expect(
      validateNewJob({ ...input, priority: -1000, queue: "emails.bulk", runAt, expiresAt: later(120_000) }, now),
    ).toMatchObject({ priority: -1000, queue: "emails.bulk", runAt, expiresAt: later(120_000) });
    expect(problems({ priority: 1000, runAt: later(-5_000) })).toEqual([]);
  });

  test("out-of-range priority, a bad queue name, run_at too far ahead, expires_at not after run_at: each names its field", () => {
    expect(problems({ priority: 1001 })).toEqual(["priority"]);
    expect(problems({ priority: -1001 })).toEqual(["priority"]);
    expect(problems({ priority: 1.5 })).toEqual(["priority"]);
    expect(problems({ queue: "Bad Queue" })).toEqual(["queue"]);
    expect(problems({ runAt: later(367 * 24 * 3600_000) })).toEqual(["run_at"]);
    expect(problems({ runAt: new Date(Number.NaN) })).toEqual(["run_at"]);
    expect(problems({ expiresAt: now })).toEqual(["expires_at"]);
    expect(problems({ runAt: later(60_000), expiresAt: later(30_000) })).toEqual(["expires_at"]);
    expect(problems({ timeoutSeconds: -1 })).toEqual(["timeout_seconds"]);
    expect(problems({ timeoutSeconds: 86_401 })).toEqual(["timeout_seconds"]);
  });

  test("expire: a PENDING job never started fails once expires_at passed; nothing else changes", () => {
    const pending = job({ status: "PENDING", startedAt: null, workerId: null, leaseExpiresAt: null, expiresAt: now });
    expect(expire(pending, later(-1))).toBeUndefined();
    expect(expire(pending, later(1))).toMatchObject({
      status: "FAILED",
      error: "expired: no worker claimed it before 2030-01-01T00:00:00.000Z",
      finishedAt: later(1),
    });
    expect(expire({ ...pending, startedAt: now }, later(1))).toBeUndefined();
    expect(expire({ ...pending, expiresAt: null }, later(1))).toBeUndefined();
    expect(expire({ ...pending, status: "RUNNING" }, later(1))).toBeUndefined();
  });

  test("timeOut: a RUNNING attempt past its run deadline is a failed attempt (retried, or FAILED at the last)", () => {
    const running = job({ timeoutSeconds: 5, runDeadline: later(5_000) });
    expect(timeOut(running, later(5_000), policy)).toBeUndefined();
    expect(timeOut(running, later(5_001), policy)).toMatchObject({
      status: "PENDING",
      error: "timed out: the attempt ran longer than 5s",
      runDeadline: null,
      workerId: null,
    });
    expect(timeOut({ ...running, attempts: 3 }, later(5_001), policy)).toMatchObject({ status: "FAILED" });
    expect(timeOut({ ...running, runDeadline: null }, later(60_000), policy)).toBeUndefined();
  });
});
