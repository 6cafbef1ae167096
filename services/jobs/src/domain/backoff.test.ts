// A job's own retry backoff: the waits it gives, and the settings it refuses.
import { describe, expect, test } from "bun:test";
import { type InvalidArgumentError, Violations } from "@platform/kit";
import { backoffMs, checkBackoff } from "./backoff";
import { job, lease, now, policy } from "./testJobs";
import { checkReplay, fail, unclaim, validateNewJob } from "./job";

describe("backoffMs with a job's own backoff", () => {
  test("initial × multiplier^(n−1), capped at max; null fields take the policy's", () => {
    const own = { initialMs: 100, maxMs: 1_000, multiplier: 3 };
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, own))).toEqual([100, 300, 900, 1_000]);
    expect([1, 2, 3].map((n) => backoffMs(n, policy, { initialMs: null, maxMs: null, multiplier: 1 }))).toEqual([
      1_000, 1_000, 1_000,
    ]);
    // An initial wait above the policy's max raises the max to it.
    expect(backoffMs(3, policy, { initialMs: 120_000, maxMs: null, multiplier: null })).toBe(120_000);
  });

  test("a failed attempt of a job with its own backoff waits by it", () => {
    const failed = fail(
      job({ backoff: { initialMs: 7, maxMs: null, multiplier: null } }),
      lease.hash,
      "x",
      now,
      policy,
    );
    expect(failed.runAfter.getTime() - now.getTime()).toBe(7);
  });
});

describe("checkBackoff", () => {
  const check = (input: { initialMs: number; maxMs: number; multiplier: number }) => {
    const problems = new Violations();
    const backoff = checkBackoff(problems, "backoff", input);
    try {
      problems.throwIfAny();
      return { backoff, fields: [] };
    } catch (error) {
      return { backoff, fields: (error as InvalidArgumentError).violations.map((v) => v.field) };
    }
  };

  test("all zero is none; zeros are the defaults", () => {
    expect(check({ initialMs: 0, maxMs: 0, multiplier: 0 }).backoff).toBeNull();
    expect(check({ initialMs: 50, maxMs: 0, multiplier: 0 }).backoff).toEqual({
      initialMs: 50,
      maxMs: null,
      multiplier: null,
    });
  });

  test("out-of-range fields are named", () => {
    expect(check({ initialMs: 1.5, maxMs: 1, multiplier: 0.5 }).fields).toEqual([
      "backoff.initial_ms",
      "backoff.max_ms",
      "backoff.multiplier",
    ]);
    expect(check({ initialMs: 86_400_001, maxMs: 604_800_001, multiplier: 11 }).fields).toHaveLength(3);
  });
});

describe("unclaim", () => {
  test("a claim undone: PENDING, the attempt not counted, never started when this claim was its first start", () => {
    const undone = unclaim(job({ attempts: 1, startedAt: now }), now)!;
    expect(undone).toMatchObject({
      status: "PENDING",
      attempts: 0,
      startedAt: null,
      workerId: null,
      leaseExpiresAt: null,
    });
    const earlier = new Date(now.getTime() - 1_000);
    expect(unclaim(job({ attempts: 2, startedAt: earlier }), now)).toMatchObject({
      attempts: 1,
      startedAt: earlier,
    });
    expect(unclaim(job({ status: "SUCCEEDED" }), now)).toBeUndefined();
  });

  test("a retry claimed in the same millisecond as its first start keeps that start (the count decides, not the clock)", () => {
    expect(unclaim(job({ attempts: 2, startedAt: now }), now)).toMatchObject({ attempts: 1, startedAt: now });
  });
});

describe("the idempotency fingerprint", () => {
  test("covers the backoff: the same key with another backoff is refused", () => {
    const input = { name: "n", kind: "k", payload: "", maxAttempts: 2, idempotencyKey: "key", owner: "alice" };
    const first = validateNewJob({ ...input, backoff: { initialMs: 100, maxMs: 0, multiplier: 0 } });
    const stored = job({ ...first, status: "PENDING", backoff: first.backoff });
    expect(checkReplay(stored, first)).toBe(stored);
    const other = validateNewJob({ ...input, backoff: { initialMs: 200, maxMs: 0, multiplier: 0 } });
    expect(() => checkReplay(stored, other)).toThrow(/idempotency_key/);
    expect(() => checkReplay(stored, validateNewJob(input))).toThrow(/idempotency_key/);
  });
});
