// What the job domain's unit tests share: a fixed clock, a retry policy, two lease
// tokens and a RUNNING job under the latest of them. Test code only.
import type { Job } from "./job";
import { newLeaseToken } from "./leaseToken";

export const now = new Date("2030-01-01T00:00:00Z");
export const later = (ms: number) => new Date(now.getTime() + ms);
export const policy = { baseBackoffMs: 1_000, maxBackoffMs: 60_000 };
export const lease = newLeaseToken();
export const earlierLease = newLeaseToken();

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 7,
    name: "j",
    kind: "noop",
    status: "RUNNING",
    payload: null,
    result: null,
    error: null,
    attempts: 1,
    maxAttempts: 3,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    finishedAt: null,
    workerId: "w-1",
    leaseExpiresAt: later(30_000),
    runAfter: now,
    idempotencyKey: null,
    owner: "alice",
    priority: 0,
    queue: "default",
    expiresAt: null,
    timeoutSeconds: 0,
    runDeadline: null,
    backoff: null,
    leaseTokenHash: lease.hash,
    previousLeaseTokenHash: earlierLease.hash,
    version: 1,
    ...overrides,
  };
}
