// The job's pure rules: what a valid new job is, the retry backoff, and how a job
// moves between statuses. Time is passed in. Which lease token may act on a job is
// leaseToken.test.ts's subject; here the token is always the latest lease's.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { FailedPreconditionError, InvalidArgumentError, NAME_MAX_LENGTH, OWNER_MAX_LENGTH } from "@platform/kit";
import {
  backoffMs,
  cancel,
  complete,
  DEFAULT_KIND,
  DEFAULT_LEASE_SECONDS,
  DEFAULT_MAX_ATTEMPTS,
  expireLease,
  fail,
  FINAL_STATUSES,
  heartbeat,
  isFinal,
  JOB_STATUSES,
  MAX_ERROR_LENGTH,
  MAX_JSON_BYTES,
  MAX_LEASE_SECONDS,
  MAX_MAX_ATTEMPTS,
  validateLeaseSeconds,
  validateNewJob,
  validateWorkerId,
} from "./job";

import { job, later, lease, now, policy } from "./testJobs";

const input = { name: "nightly report", kind: "", payload: "", maxAttempts: 0, idempotencyKey: "", owner: "alice" };

/** The violations validateNewJob reports, as "field: message"; [] when it passes. */
function violationsOf(overrides: Partial<typeof input>): string[] {
  try {
    validateNewJob({ ...input, ...overrides });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((v) => `${v.field}: ${v.message}`);
  }
}

const fieldsOf = (overrides: Partial<typeof input>) => violationsOf(overrides).map((v) => v.split(":")[0]);

describe("validateNewJob", () => {
  test("empty optional fields take their defaults; the name is trimmed, the owner kept exactly", () => {
    expect(validateNewJob({ ...input, name: "  nightly report \n", owner: " alice" })).toEqual({
      name: "nightly report",
      kind: DEFAULT_KIND,
      payload: null,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      idempotencyKey: null,
      owner: " alice",
      priority: 0,
      queue: "default",
      runAt: null,
      expiresAt: null,
      timeoutSeconds: 0,
      backoff: null,
    });
  });

  test("given values are kept", () => {
    expect(
      validateNewJob({
        ...input,
        kind: "report.build",
        payload: '{"day":"mon"}',
        maxAttempts: 5,
        idempotencyKey: "req-42",
      }),
    ).toEqual({
      name: "nightly report",
      kind: "report.build",
      payload: '{"day":"mon"}',
      maxAttempts: 5,
      idempotencyKey: "req-42",
      owner: "alice",
      priority: 0,
      queue: "default",
      runAt: null,
      expiresAt: null,
      timeoutSeconds: 0,
      backoff: null,
    });
  });

  test("the name: not empty, not too long, no control characters", () => {
    expect(violationsOf({ name: "   " })).toEqual(["job_name: must not be empty"]);
    expect(violationsOf({ name: "x".repeat(NAME_MAX_LENGTH) })).toEqual([]);
    expect(violationsOf({ name: "x".repeat(NAME_MAX_LENGTH + 1) })).toEqual([
      `job_name: must be at most ${NAME_MAX_LENGTH} characters`,
    ]);
    for (const bad of ["a\u0000b", "a\tb", "a\nb", "a\u007fb", "a\u009fb"])
      expect(violationsOf({ name: bad })).toEqual(["job_name: must not contain control characters"]);
    expect(violationsOf({ name: "Bericht für Montag 😀" })).toEqual([]);
  });

  test("the kind: a lowercase name of at most 64 characters", () => {
    for (const good of ["a", "noop", "report.build", "a-b_c.9", "a".repeat(64)])
      expect(violationsOf({ kind: good })).toEqual([]);
    for (const bad of ["Noop", "9lives", "-x", ".x", "_x", "a b", "a/b", "rm -rf /", "a".repeat(65), " noop", "ü"]) {
      expect(fieldsOf({ kind: bad })).toEqual(["kind"]);
    }
  });

  test("the payload: empty is none, otherwise valid JSON", () => {
    for (const good of ["null", "1", '"text"', "[]", '{"a":[1,{"b":null}]}', ' {"a": 1} '])
      expect(validateNewJob({ ...input, payload: good }).payload).toBe(good);
    for (const bad of ["{", "   ", "undefined", "{'a':1}", '{"a":1,}', "NaN"])
      expect(violationsOf({ payload: bad })).toEqual(["payload: must be valid JSON"]);
  });

  test(`the payload: at most ${MAX_JSON_BYTES} bytes, counted in UTF-8`, () => {
    const stringOfBytes = (bytes: number) => JSON.stringify("x".repeat(bytes - 2));
    expect(violationsOf({ payload: stringOfBytes(MAX_JSON_BYTES) })).toEqual([]);
    expect(violationsOf({ payload: stringOfBytes(MAX_JSON_BYTES + 1) })).toEqual([
      `payload: must be at most ${MAX_JSON_BYTES} bytes of JSON`,
    ]);
    // Fewer characters than the limit, more bytes: "é" is two bytes.
    const wide = JSON.stringify("é".repeat(MAX_JSON_BYTES / 2));
    expect(wide.length).toBeLessThan(MAX_JSON_BYTES);
    expect(violationsOf({ payload: wide })).toEqual([`payload: must be at most ${MAX_JSON_BYTES} bytes of JSON`]);
  });

  test(`max_attempts: 0 is the default, otherwise a whole number from 1 to ${MAX_MAX_ATTEMPTS}`, () => {
    for (const good of [1, 2, MAX_MAX_ATTEMPTS])
      expect(validateNewJob({ ...input, maxAttempts: good }).maxAttempts).toBe(good);
    for (const bad of [-1, MAX_MAX_ATTEMPTS + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(violationsOf({ maxAttempts: bad })).toEqual([`max_attempts: must be between 1 and ${MAX_MAX_ATTEMPTS}`]);
    }
  });

  test("the idempotency key: empty is none, otherwise 1 to 200 printable ASCII characters", () => {
    for (const good of ["k", "req-42", "!~", "a".repeat(200), "2030-01-01T00:00:00Z/alice"])
      expect(validateNewJob({ ...input, idempotencyKey: good }).idempotencyKey).toBe(good);
    for (const bad of ["a".repeat(201), "has space", " k", "k\t", "k\n", "schlüssel", "k\u007f"]) {
      expect(violationsOf({ idempotencyKey: bad })).toEqual([
        "idempotency_key: must be 1 to 200 printable ASCII characters",
      ]);
    }
  });

  test("the owner: not empty, not too long, no control characters", () => {
    expect(violationsOf({ owner: "" })).toEqual(["owner: must not be empty"]);
    expect(violationsOf({ owner: "a".repeat(OWNER_MAX_LENGTH) })).toEqual([]);
    expect(violationsOf({ owner: "a".repeat(OWNER_MAX_LENGTH + 1) })).toEqual([
      `owner: must be at most ${OWNER_MAX_LENGTH} characters`,
    ]);
    expect(violationsOf({ owner: "ann\n@example.com" })).toEqual(["owner: must not contain control characters"]);
  });

  test("every problem is reported at once", () => {
    expect(
      fieldsOf({ name: "", kind: "X", payload: "{", maxAttempts: -1, idempotencyKey: " ", owner: "" }).sort(),
    ).toEqual(["idempotency_key", "job_name", "kind", "max_attempts", "owner", "payload"].sort());
  });
});

test("validateWorkerId: a trimmed name, reported as worker_id", () => {
  expect(validateWorkerId("  worker-1 ")).toBe("worker-1");
  for (const bad of ["", "  ", "w\u0000", "x".repeat(NAME_MAX_LENGTH + 1)]) {
    expect(() => validateWorkerId(bad)).toThrow(InvalidArgumentError);
    expect(() => validateWorkerId(bad)).toThrow(/^worker_id: /);
  }
});

test(`validateLeaseSeconds: 0 is ${DEFAULT_LEASE_SECONDS}, otherwise a whole number from 1 to ${MAX_LEASE_SECONDS}`, () => {
  expect(validateLeaseSeconds(0)).toBe(DEFAULT_LEASE_SECONDS);
  for (const good of [1, 60, MAX_LEASE_SECONDS]) expect(validateLeaseSeconds(good)).toBe(good);
  for (const bad of [-1, MAX_LEASE_SECONDS + 1, 0.5, Number.NaN]) {
    expect(() => validateLeaseSeconds(bad)).toThrow(InvalidArgumentError);
    expect(() => validateLeaseSeconds(bad)).toThrow(`lease_seconds: must be between 1 and ${MAX_LEASE_SECONDS}`);
  }
});

describe("backoffMs", () => {
  test("the base before the first retry, doubling with each attempt, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempts) => backoffMs(attempts, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    // No attempt yet counts as the first.
    expect(backoffMs(0, policy)).toBe(1_000);
  });

  const policies = fc
    .tuple(fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 0, max: 3_600_000 }))
    .map(([baseBackoffMs, maxBackoffMs]) => ({ baseBackoffMs, maxBackoffMs }));
  const attemptCounts = fc.integer({ min: 0, max: MAX_MAX_ATTEMPTS });

  test("property: monotonic in attempts, never above the cap, and doubles until it reaches it", () => {
    fc.assert(
      fc.property(policies, attemptCounts, (p, attempts) => {
        const wait = backoffMs(attempts, p);
        const next = backoffMs(attempts + 1, p);
        expect(Number.isFinite(wait)).toBe(true);
        expect(wait).toBeGreaterThanOrEqual(Math.min(p.baseBackoffMs, p.maxBackoffMs));
        expect(wait).toBeLessThanOrEqual(p.maxBackoffMs);
        expect(next).toBeGreaterThanOrEqual(wait);
        if (attempts >= 1) expect(next).toBe(Math.min(2 * wait, p.maxBackoffMs));
      }),
    );
  });
});

describe("transitions", () => {
  test("heartbeat extends the lease from now and changes nothing else", () => {
    const running = job();
    const beaten = heartbeat(running, lease.hash, 90, later(10_000));
    expect(beaten).toEqual({ ...running, leaseExpiresAt: later(100_000), updatedAt: later(10_000) });
    // The input is not changed.
    expect(running.leaseExpiresAt).toEqual(later(30_000));
  });

  test("complete: SUCCEEDED with the result, an earlier attempt's error cleared, the lease released but its hash kept", () => {
    const running = job({ attempts: 2, error: "first attempt failed" });
    expect(complete(running, lease.hash, '{"rows":3}', later(5_000))).toEqual({
      ...running,
      status: "SUCCEEDED",
      result: '{"rows":3}',
      error: null,
      finishedAt: later(5_000),
      updatedAt: later(5_000),
      workerId: null,
      leaseExpiresAt: null,
    });
  });

  test("fail with attempts left: back to PENDING after the backoff, the lease released, not finished", () => {
    const running = job({ attempts: 2, maxAttempts: 3 });
    expect(fail(running, lease.hash, "boom", now, policy)).toEqual({
      ...running,
      status: "PENDING",
      error: "boom",
      runAfter: later(2_000),
      updatedAt: now,
      workerId: null,
      leaseExpiresAt: null,
    });
  });

  test("fail on the last attempt: FAILED and finished; runAfter untouched", () => {
    const running = job({ attempts: 3, maxAttempts: 3 });
    expect(fail(running, lease.hash, "boom", now, policy)).toEqual({
      ...running,
      status: "FAILED",
      error: "boom",
      finishedAt: now,
      updatedAt: now,
      workerId: null,
      leaseExpiresAt: null,
    });
  });

  test("property: a failed attempt is PENDING after backoffMs(attempts) exactly while attempts < maxAttempts, else FAILED", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_MAX_ATTEMPTS }),
        fc.integer({ min: 1, max: MAX_MAX_ATTEMPTS }),
        (maxAttempts, attempts) => {
          const after = fail(job({ attempts, maxAttempts }), lease.hash, "boom", now, policy);
          expect(after.attempts).toBe(attempts);
          if (attempts < maxAttempts) {
            expect(after.status).toBe("PENDING");
            expect(after.runAfter).toEqual(later(backoffMs(attempts, policy)));
            expect(after.finishedAt).toBeNull();
          } else {
            expect(after.status).toBe("FAILED");
            expect(after.finishedAt).toEqual(now);
          }
        },
      ),
    );
  });

  test(`the error message is cut to ${MAX_ERROR_LENGTH} characters; an empty one reads "failed"`, () => {
    const errorAfter = (message: string) => fail(job(), lease.hash, message, now, policy).error;
    expect(errorAfter("x".repeat(MAX_ERROR_LENGTH))).toBe("x".repeat(MAX_ERROR_LENGTH));
    expect(errorAfter("y".repeat(MAX_ERROR_LENGTH + 500))).toBe("y".repeat(MAX_ERROR_LENGTH));
    expect(errorAfter("")).toBe("failed");
  });
});

describe("expireLease", () => {
  test("a RUNNING job whose lease ran out (at or before now) is a failed attempt", () => {
    for (const expiredAt of [now, later(-1)]) {
      expect(expireLease(job({ attempts: 1, leaseExpiresAt: expiredAt }), now, policy)).toMatchObject({
        status: "PENDING",
        error: "lease of worker w-1 expired",
        runAfter: later(1_000),
        workerId: null,
        leaseExpiresAt: null,
        leaseTokenHash: lease.hash,
      });
    }
    expect(expireLease(job({ attempts: 3, maxAttempts: 3, leaseExpiresAt: later(-1) }), now, policy)).toMatchObject({
      status: "FAILED",
      finishedAt: now,
    });
  });

  test("a lease still running, or a job not RUNNING, is left alone", () => {
    expect(expireLease(job({ leaseExpiresAt: later(1) }), now, policy)).toBeUndefined();
    expect(expireLease(job({ leaseExpiresAt: null }), now, policy)).toBeUndefined();
    for (const status of JOB_STATUSES.filter((s) => s !== "RUNNING")) {
      expect(expireLease(job({ status, leaseExpiresAt: later(-60_000) }), now, policy)).toBeUndefined();
    }
  });
});

describe("cancel", () => {
  test("a PENDING or RUNNING job becomes CANCELLED and finished, its lease released but its hash kept", () => {
    for (const status of ["PENDING", "RUNNING"] as const) {
      const before = job({ status });
      expect(cancel(before, later(1_000))).toEqual({
        ...before,
        status: "CANCELLED",
        finishedAt: later(1_000),
        updatedAt: later(1_000),
        workerId: null,
        leaseExpiresAt: null,
      });
    }
  });

  test("a finished job refuses with FAILED_PRECONDITION, naming its status", () => {
    for (const status of FINAL_STATUSES) {
      expect(() => cancel(job({ status }), now)).toThrow(FailedPreconditionError);
      expect(() => cancel(job({ status }), now)).toThrow(`job 7 is already ${status}`);
    }
  });
});

test("isFinal: SUCCEEDED, FAILED and CANCELLED, and nothing else", () => {
  expect(JOB_STATUSES.filter(isFinal)).toEqual(["SUCCEEDED", "FAILED", "CANCELLED"]);
});
