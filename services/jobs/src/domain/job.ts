// What a job is, what makes a new one valid, and how it may change.
// Pure: no transport, no storage, time passed in.
import {
  checkName,
  checkOwner,
  DAY_MS,
  FailedPreconditionError,
  PermissionDeniedError,
  Violations,
} from "@platform/kit";
import { FINAL_JOB_STATUSES, JOB_STATUSES, type JobStatusName } from "@platform/proto/enums";
import {
  IDEMPOTENCY_KEY_MESSAGE,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_REUSED_MESSAGE,
  JOB_ERROR_MAX_LENGTH,
  KIND_MESSAGE,
  KIND_PATTERN as KIND_RULE,
  LEASE_SECONDS_MAX,
  LEASE_SECONDS_MESSAGE,
  LEASE_SECONDS_MIN,
  MAX_ATTEMPTS_MAX,
  MAX_ATTEMPTS_MESSAGE,
  MAX_ATTEMPTS_MIN,
  DEFAULT_QUEUE,
  EXPIRES_AT_MESSAGE,
  PRIORITY_MAX,
  TIMEOUT_SECONDS_MAX,
  TIMEOUT_SECONDS_MESSAGE,
  PRIORITY_MESSAGE,
  PRIORITY_MIN,
  QUEUE_MESSAGE,
  QUEUE_PATTERN as QUEUE_RULE,
  RUN_AT_MAX_AHEAD_DAYS,
  RUN_AT_MESSAGE,
} from "@platform/proto/rules";
import { createHash } from "node:crypto";
import { backoffMs, checkBackoff, type JobBackoff, type RetryPolicy } from "./backoff";
import { checkLeaseToken, type LeaseTokenHash } from "./leaseToken";

export { backoffMs, checkBackoff, type JobBackoff, type RetryPolicy };

/** The statuses come from the contract (jobs.proto's JobStatus). */
export { JOB_STATUSES };
export type JobStatus = JobStatusName;
export const FINAL_STATUSES = FINAL_JOB_STATUSES;
export const isFinal = (status: JobStatus) => FINAL_STATUSES.includes(status);

export interface Job {
  id: number;
  name: string;
  kind: string;
  status: JobStatus;
  /** JSON text, or null. */
  payload: string | null;
  /** JSON text, or null. */
  result: string | null;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  workerId: string | null;
  leaseExpiresAt: Date | null;
  runAfter: Date;
  idempotencyKey: string | null;
  /** The subject that created it. */
  owner: string;
  /** SHA-256 of the latest lease's token; kept after the lease ends, so its holder hears 409, not 403. */
  leaseTokenHash: LeaseTokenHash | null;
  /** SHA-256 of the lease before the latest one: its holder lost the job to a re-claim (409). */
  previousLeaseTokenHash: LeaseTokenHash | null;
  /** Bumped on every change: the store's optimistic-concurrency check. */
  version: number;
  /** Higher is claimed first. */
  priority: number;
  queue: string;
  /** Not claimed by then (never started): it fails as expired. Null: never. */
  expiresAt: Date | null;
  /** How long each attempt may run; 0: no limit. */
  timeoutSeconds: number;
  /** While RUNNING with a timeout: when this attempt times out. */
  runDeadline: Date | null;
  /** Its own retry backoff; null: the service's. */
  backoff: JobBackoff | null;
}

export interface NewJob {
  name: string;
  kind: string;
  payload: string | null;
  maxAttempts: number;
  idempotencyKey: string | null;
  owner: string;
  priority: number;
  queue: string;
  /** Not claimed before this time; null: now. */
  runAt: Date | null;
  expiresAt: Date | null;
  timeoutSeconds: number;
  backoff: JobBackoff | null;
}

export { DEFAULT_QUEUE };
export const DEFAULT_KIND = "noop";
export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_MAX_ATTEMPTS = MAX_ATTEMPTS_MAX;
export const MAX_JSON_BYTES = 64 * 1024;
export const MAX_ERROR_LENGTH = JOB_ERROR_MAX_LENGTH;
export const DEFAULT_LEASE_SECONDS = 30;
export const MAX_LEASE_SECONDS = LEASE_SECONDS_MAX;
/** A kind is a name a worker looks up in its own table, never something it executes (the contract's rule). */
const KIND_PATTERN = new RegExp(KIND_RULE);
const KEY_PATTERN = new RegExp(IDEMPOTENCY_KEY_PATTERN);
const QUEUE_PATTERN = new RegExp(QUEUE_RULE);

/** Checks JSON text: empty means none; otherwise it must parse and stay under the size limit. */
export function checkJson(problems: Violations, field: string, text: string): string | null {
  if (text === "") return null;
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) {
    problems.add(field, `must be at most ${MAX_JSON_BYTES} bytes of JSON`);
    return null;
  }
  try {
    JSON.parse(text);
  } catch {
    problems.add(field, "must be valid JSON");
  }
  return text;
}

export function checkKind(problems: Violations, field: string, kind: string): string {
  if (!KIND_PATTERN.test(kind)) problems.add(field, KIND_MESSAGE);
  return kind;
}

export function checkQueue(problems: Violations, field: string, queue: string): string {
  if (!QUEUE_PATTERN.test(queue)) problems.add(field, QUEUE_MESSAGE);
  return queue;
}

export function validateNewJob(
  input: {
    name: string;
    kind: string;
    payload: string;
    maxAttempts: number;
    idempotencyKey: string;
    owner: string;
    priority?: number;
    queue?: string;
    runAt?: Date | null;
    expiresAt?: Date | null;
    timeoutSeconds?: number;
    backoff?: { initialMs: number; maxMs: number; multiplier: number } | null;
  },
  now = new Date(),
): NewJob {
  const problems = new Violations();
  const owner = checkOwner(problems, "owner", input.owner);
  const name = checkName(problems, "job_name", input.name);
  const kind = checkKind(problems, "kind", input.kind === "" ? DEFAULT_KIND : input.kind);
  const payload = checkJson(problems, "payload", input.payload);
  const maxAttempts = input.maxAttempts === 0 ? DEFAULT_MAX_ATTEMPTS : input.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < MAX_ATTEMPTS_MIN || maxAttempts > MAX_ATTEMPTS_MAX)
    problems.add("max_attempts", MAX_ATTEMPTS_MESSAGE);
  if (input.idempotencyKey !== "" && !KEY_PATTERN.test(input.idempotencyKey))
    problems.add("idempotency_key", IDEMPOTENCY_KEY_MESSAGE);
  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX)
    problems.add("priority", PRIORITY_MESSAGE);
  const queue = checkQueue(problems, "queue", input.queue || DEFAULT_QUEUE);
  const runAt = input.runAt ?? null;
  if (runAt && (Number.isNaN(runAt.getTime()) || runAt.getTime() > now.getTime() + RUN_AT_MAX_AHEAD_DAYS * DAY_MS))
    problems.add("run_at", RUN_AT_MESSAGE);
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && !(expiresAt.getTime() > Math.max(now.getTime(), runAt?.getTime() ?? 0)))
    problems.add("expires_at", EXPIRES_AT_MESSAGE);
  const timeoutSeconds = input.timeoutSeconds ?? 0;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > TIMEOUT_SECONDS_MAX)
    problems.add("timeout_seconds", TIMEOUT_SECONDS_MESSAGE);
  const backoff = checkBackoff(problems, "backoff", input.backoff);
  problems.throwIfAny();
  return {
    name,
    kind,
    payload,
    maxAttempts,
    idempotencyKey: input.idempotencyKey || null,
    owner,
    priority,
    queue,
    runAt,
    expiresAt,
    timeoutSeconds,
    backoff,
  };
}

/**
 * SHA-256 of the request as the service sees it (after defaults): what an
 * idempotency key is bound to. Every field of NewJob but the key and the owner
 * (the key is per owner anyway), run_at and expires_at (times a retry or an
 * expiry changes); a stored job carries the rest, so its fingerprint is
 * computed from the job itself.
 */
export function requestFingerprint(
  request: Pick<NewJob, "name" | "kind" | "payload" | "maxAttempts" | "priority" | "queue" | "backoff">,
): string {
  const canonical = JSON.stringify([
    request.name,
    request.kind,
    request.payload,
    request.maxAttempts,
    request.priority,
    request.queue,
    // Absent from fingerprints of jobs without one, so those stay as they were.
    ...(request.backoff ? [request.backoff.initialMs, request.backoff.maxMs, request.backoff.multiplier] : []),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * A create that found its idempotency key taken: the first job again when the
 * request is the same, else INVALID_ARGUMENT on idempotency_key (the key is
 * never quietly reused for another job).
 */
export function checkReplay(existing: Job, request: NewJob): Job {
  if (requestFingerprint(existing) !== requestFingerprint(request))
    new Violations().add("idempotency_key", IDEMPOTENCY_KEY_REUSED_MESSAGE).throwIfAny();
  return existing;
}

export function validateWorkerId(workerId: string): string {
  const problems = new Violations();
  const id = checkName(problems, "worker_id", workerId);
  problems.throwIfAny();
  return id;
}

export function validateLeaseSeconds(seconds: number): number {
  const lease = seconds === 0 ? DEFAULT_LEASE_SECONDS : seconds;
  if (!Number.isInteger(lease) || lease < LEASE_SECONDS_MIN || lease > LEASE_SECONDS_MAX) {
    new Violations().add("lease_seconds", LEASE_SECONDS_MESSAGE).throwIfAny();
  }
  return lease;
}

// --- transitions ------------------------------------------------------------

/**
 * The lease token is the only authority over a running job; worker_id is a label.
 * The latest lease's token while the job is RUNNING: allowed. The latest lease's
 * token after that lease ended (finished, failed, expired, cancelled), or the token
 * of the lease before it (the job was re-claimed): FAILED_PRECONDITION, a stale
 * lease. Any other token: PERMISSION_DENIED.
 */
function requireLeaseHolder(job: Job, leaseToken: LeaseTokenHash, action: string): void {
  const lease = checkLeaseToken(leaseToken, job.leaseTokenHash, job.previousLeaseTokenHash);
  if (lease === "wrong") throw new PermissionDeniedError(`the lease token does not hold job ${job.id}`);
  if (lease === "previous")
    throw new FailedPreconditionError(`job ${job.id} was leased again since this lease, so it cannot be ${action}`);
  if (job.status !== "RUNNING")
    throw new FailedPreconditionError(`job ${job.id} is ${job.status}, so it cannot be ${action}`);
}

const released = { workerId: null, leaseExpiresAt: null, runDeadline: null };

export function heartbeat(job: Job, leaseToken: LeaseTokenHash, leaseSeconds: number, now: Date): Job {
  requireLeaseHolder(job, leaseToken, "heartbeated");
  return { ...job, leaseExpiresAt: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now };
}

export function complete(job: Job, leaseToken: LeaseTokenHash, result: string | null, now: Date): Job {
  requireLeaseHolder(job, leaseToken, "completed");
  return { ...job, ...released, status: "SUCCEEDED", result, error: null, finishedAt: now, updatedAt: now };
}

/** A failed attempt: back to PENDING after a backoff, or FAILED once attempts are used up. */
export function fail(job: Job, leaseToken: LeaseTokenHash, error: string, now: Date, policy: RetryPolicy): Job {
  requireLeaseHolder(job, leaseToken, "failed");
  return failedAttempt(job, error, now, policy);
}

function failedAttempt(job: Job, error: string, now: Date, policy: RetryPolicy): Job {
  // Kept as the worker sent it, except NUL (PostgreSQL's TEXT cannot hold it).
  const message = error.replaceAll("\u0000", "\uFFFD").slice(0, MAX_ERROR_LENGTH) || "failed";
  if (job.attempts >= job.maxAttempts)
    return { ...job, ...released, status: "FAILED", error: message, finishedAt: now, updatedAt: now };
  return {
    ...job,
    ...released,
    status: "PENDING",
    error: message,
    runAfter: new Date(now.getTime() + backoffMs(job.attempts, policy, job.backoff)),
    updatedAt: now,
  };
}

/**
 * Undoes a claim whose caller went away before it heard of the lease (a cancelled long poll): PENDING
 * again at its place in the queue, the attempt not counted, never started if this claim was its first
 * attempt (by the count, not the clock: a retry claimed in the same millisecond as the first start keeps it).
 * The lease's token was never handed out, so nobody holds it.
 */
export function unclaim(job: Job, now: Date): Job | undefined {
  if (job.status !== "RUNNING") return undefined;
  return {
    ...job,
    ...released,
    status: "PENDING",
    attempts: Math.max(0, job.attempts - 1),
    startedAt: job.attempts <= 1 ? null : job.startedAt,
    updatedAt: now,
  };
}

/** A lease that ran out is a failed attempt: the worker is presumed dead. */
export function expireLease(job: Job, now: Date, policy: RetryPolicy): Job | undefined {
  if (job.status !== "RUNNING" || !job.leaseExpiresAt || job.leaseExpiresAt > now) return undefined;
  return failedAttempt(job, `lease of worker ${job.workerId} expired`, now, policy);
}

export function cancel(job: Job, now: Date): Job {
  if (isFinal(job.status)) throw new FailedPreconditionError(`job ${job.id} is already ${job.status}`);
  return { ...job, ...released, status: "CANCELLED", finishedAt: now, updatedAt: now };
}

/** An attempt that ran past its run deadline (its timeout) is a failed attempt, retried like any other. */
export function timeOut(job: Job, now: Date, policy: RetryPolicy): Job | undefined {
  if (job.status !== "RUNNING" || !job.runDeadline || job.runDeadline >= now) return undefined;
  return failedAttempt(job, `timed out: the attempt ran longer than ${job.timeoutSeconds}s`, now, policy);
}

/** The error of a job nobody claimed before its expires_at. */
export const expiredMessage = (expiresAt: Date) => `expired: no worker claimed it before ${expiresAt.toISOString()}`;

/** A PENDING job never claimed whose expires_at passed: FAILED, with an error saying so. */
export function expire(job: Job, now: Date): Job | undefined {
  if (job.status !== "PENDING" || job.startedAt || !job.expiresAt || job.expiresAt >= now) return undefined;
  return {
    ...job,
    ...released,
    status: "FAILED",
    error: expiredMessage(job.expiresAt),
    finishedAt: now,
    updatedAt: now,
  };
}

/** The statuses a job can be re-run from: FAILED (attempts used up: the dead-letter state) and CANCELLED. */
export const RETRYABLE_STATUSES: readonly JobStatus[] = ["FAILED", "CANCELLED"];

/**
 * Re-runs a FAILED or CANCELLED job: PENDING and claimable now, with a fresh
 * set of attempts. The last error stays (it is history, and the next attempt
 * overwrites or, on success, clears it); the result and the lease go. The
 * lease tokens stay, so a worker still holding the old lease hears 409.
 */
export function retry(job: Job, now: Date): Job {
  if (!RETRYABLE_STATUSES.includes(job.status))
    throw new FailedPreconditionError(`job ${job.id} is ${job.status}; only FAILED or CANCELLED jobs can be retried`);
  return {
    ...job,
    ...released,
    status: "PENDING",
    attempts: 0,
    result: null,
    finishedAt: null,
    runAfter: now,
    // A re-run is asked for now: an expiry that already failed it no longer applies.
    expiresAt: job.expiresAt && job.expiresAt <= now ? null : job.expiresAt,
    updatedAt: now,
  };
}
