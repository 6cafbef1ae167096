// The lease-token rule, as pure functions: which token may act on a job, and
// which answer a stale or wrong one gets.
import { describe, expect, test } from "bun:test";
import { FailedPreconditionError, PermissionDeniedError } from "@platform/kit";
import { complete, fail, heartbeat } from "./job";
import { checkLeaseToken, hashLeaseToken, newLeaseToken, validateLeaseToken } from "./leaseToken";
import { job, now, policy } from "./testJobs";

describe("lease tokens", () => {
  test("a new token is 256 random bits in base64url, different every time; only its SHA-256 hash is kept", () => {
    const a = newLeaseToken();
    const b = newLeaseToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(new Bun.CryptoHasher("sha256").update(a.token).digest("hex"));
    expect(a.hash).not.toContain(a.token);
  });

  test("checkLeaseToken tells the latest lease, the one before and anything else apart", () => {
    const [latest, previous, other] = [newLeaseToken(), newLeaseToken(), newLeaseToken()];
    expect(checkLeaseToken(latest.hash, latest.hash, previous.hash)).toBe("latest");
    expect(checkLeaseToken(previous.hash, latest.hash, previous.hash)).toBe("previous");
    expect(checkLeaseToken(other.hash, latest.hash, previous.hash)).toBe("wrong");
    expect(checkLeaseToken(other.hash, null, null)).toBe("wrong");
  });

  test("a malformed token is a field violation, not a denial", () => {
    for (const bad of ["", "short", "has spaces in it here", "x".repeat(201)])
      expect(() => validateLeaseToken(bad)).toThrow("lease_token");
    const token = newLeaseToken().token;
    expect(validateLeaseToken(token)).toBe(hashLeaseToken(token));
  });
});

describe("transitions under a lease", () => {
  const latest = newLeaseToken();
  const previous = newLeaseToken();
  const other = newLeaseToken();
  const running = job({ leaseTokenHash: latest.hash, previousLeaseTokenHash: previous.hash });

  test("the latest lease's token heartbeats, completes and fails a RUNNING job, whatever its worker_id", () => {
    expect(heartbeat(running, latest.hash, 60, now).leaseExpiresAt).toEqual(new Date(now.getTime() + 60_000));
    expect(complete(running, latest.hash, '"ok"', now)).toMatchObject({
      status: "SUCCEEDED",
      result: '"ok"',
      workerId: null,
    });
    expect(fail(running, latest.hash, "boom", now, policy)).toMatchObject({ status: "PENDING", error: "boom" });
  });

  test("any other token is PERMISSION_DENIED, in any state", () => {
    for (const state of [running, { ...running, status: "SUCCEEDED" as const }]) {
      expect(() => heartbeat(state, other.hash, 30, now)).toThrow(PermissionDeniedError);
      expect(() => complete(state, other.hash, null, now)).toThrow(PermissionDeniedError);
      expect(() => fail(state, other.hash, "x", now, policy)).toThrow(PermissionDeniedError);
    }
    // A job never claimed has no lease to hold.
    expect(() =>
      complete(
        job({ status: "PENDING", workerId: null, leaseTokenHash: null, previousLeaseTokenHash: null }),
        other.hash,
        null,
        now,
      ),
    ).toThrow(PermissionDeniedError);
  });

  test("the previous lease's token (re-claimed since) is FAILED_PRECONDITION", () => {
    expect(() => heartbeat(running, previous.hash, 30, now)).toThrow(FailedPreconditionError);
    expect(() => complete(running, previous.hash, '"forged"', now)).toThrow(FailedPreconditionError);
    expect(() => fail(running, previous.hash, "x", now, policy)).toThrow(FailedPreconditionError);
  });

  test("the latest lease's token once that lease ended is FAILED_PRECONDITION", () => {
    for (const status of ["PENDING", "SUCCEEDED", "FAILED", "CANCELLED"] as const) {
      const ended = { ...running, status, workerId: null, leaseExpiresAt: null };
      expect(() => heartbeat(ended, latest.hash, 30, now)).toThrow(FailedPreconditionError);
      expect(() => complete(ended, latest.hash, null, now)).toThrow(FailedPreconditionError);
    }
  });
});
