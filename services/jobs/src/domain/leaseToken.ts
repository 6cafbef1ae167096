// Lease tokens: the secret a claim hands to the worker and the only authority
// over the leased job. The service stores only a SHA-256 hash of each token
// (hex), so a database dump grants no lease; hashes are compared in constant time.
import { Violations } from "@platform/kit";
import { LEASE_TOKEN_MESSAGE, LEASE_TOKEN_PATTERN } from "@platform/proto/rules";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** SHA-256 of a lease token, as 64 hex characters. */
export type LeaseTokenHash = string;

/** 256 random bits; base64url without padding (43 characters). */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = new RegExp(LEASE_TOKEN_PATTERN);

export function hashLeaseToken(token: string): LeaseTokenHash {
  return createHash("sha256").update(token).digest("hex");
}

export function newLeaseToken(): { token: string; hash: LeaseTokenHash } {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, hash: hashLeaseToken(token) };
}

/** The presented token, checked for shape (a 422 when it cannot be a token at all), as its hash. */
export function validateLeaseToken(token: string, field = "lease_token"): LeaseTokenHash {
  if (!TOKEN_PATTERN.test(token)) new Violations().add(field, LEASE_TOKEN_MESSAGE).throwIfAny();
  return hashLeaseToken(token);
}

const sameHash = (a: LeaseTokenHash, b: LeaseTokenHash | null) => {
  if (b === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
};

/** Which of the job's last two leases the presented token belongs to, if any. */
export function checkLeaseToken(
  presented: LeaseTokenHash,
  latest: LeaseTokenHash | null,
  previous: LeaseTokenHash | null,
): "latest" | "previous" | "wrong" {
  // Both comparisons always run: the answer's timing does not tell which one matched.
  const isLatest = sameHash(presented, latest);
  const isPrevious = sameHash(presented, previous);
  return isLatest ? "latest" : isPrevious ? "previous" : "wrong";
}
