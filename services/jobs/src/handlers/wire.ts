// Jobs as wire types and back: Job and KindStats out, CreateJobRequest in.
import { fromTimestamp, toTimestamp } from "@platform/kit";
import {
  JobStatuses,
  type Job as WireJob,
  type CreateJobRequest as WireCreateJobRequest,
  type KindStats as WireKindStats,
} from "@platform/proto";
import type { Job } from "../domain/job";
import type { StatusCount } from "../store/jobRepository";

const timestamp = (date: Date | null) => (date === null ? null : toTimestamp(date));

export function toWireJob(job: Job, idempotentReplay = false): WireJob {
  return {
    id: job.id,
    job_name: job.name,
    status: JobStatuses.toWire(job.status),
    created_at: toTimestamp(job.createdAt),
    updated_at: toTimestamp(job.updatedAt),
    kind: job.kind,
    payload: job.payload ?? "",
    result: job.result ?? "",
    error: job.error ?? "",
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    started_at: timestamp(job.startedAt),
    finished_at: timestamp(job.finishedAt),
    worker_id: job.workerId ?? "",
    lease_expires_at: timestamp(job.leaseExpiresAt),
    run_after: toTimestamp(job.runAfter),
    idempotency_key: job.idempotencyKey ?? "",
    owner: job.owner,
    idempotent_replay: idempotentReplay,
    priority: job.priority,
    queue: job.queue,
    expires_at: timestamp(job.expiresAt),
    timeout_seconds: job.timeoutSeconds,
    run_deadline: timestamp(job.runDeadline),
    backoff: job.backoff && {
      initial_ms: job.backoff.initialMs ?? 0,
      max_ms: job.backoff.maxMs ?? 0,
      multiplier: job.backoff.multiplier ?? 0,
    },
  };
}

/** Grouped counts → one entry per group (`queueOf` names each count's queue: "" for per kind), in kind then queue order. */
function groupStats(counts: readonly StatusCount[], now: Date, queueOf: (c: StatusCount) => string): WireKindStats[] {
  const groups = new Map<string, Required<WireKindStats>>();
  for (const c of counts) {
    const queue = queueOf(c);
    const key = `${c.kind}\u0000${queue}`;
    const entry = groups.get(key) ?? {
      kind: c.kind,
      queue,
      pending: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      oldest_pending_age_seconds: 0,
    };
    const field = c.status.toLowerCase() as "pending" | "running" | "succeeded" | "failed" | "cancelled";
    entry[field] = Number(entry[field]) + c.count;
    if (c.status === "PENDING") {
      const age = Math.max(0, now.getTime() - c.oldestCreatedAt.getTime()) / 1000;
      entry.oldest_pending_age_seconds = Math.max(Number(entry.oldest_pending_age_seconds), age);
    }
    groups.set(key, entry);
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()].sort((a, b) => order(a.kind, b.kind) || order(a.queue, b.queue));
}

/** Grouped counts → JobStats: per kind (all its queues together) and per (kind, queue). */
export function toWireStats(
  counts: readonly StatusCount[],
  now: Date,
): { kinds: WireKindStats[]; queues: WireKindStats[] } {
  return { kinds: groupStats(counts, now, () => ""), queues: groupStats(counts, now, (c) => c.queue) };
}

/** A CreateJob request (alone or in a batch) as validateNewJob's input. */
export function newJobInput(request: WireCreateJobRequest) {
  return {
    name: request.job_name,
    kind: request.kind,
    payload: request.payload,
    maxAttempts: request.max_attempts,
    idempotencyKey: request.idempotency_key,
    owner: request.owner,
    priority: request.priority,
    queue: request.queue,
    runAt: fromTimestamp(request.run_at) ?? null,
    expiresAt: fromTimestamp(request.expires_at) ?? null,
    timeoutSeconds: request.timeout_seconds,
    backoff: request.backoff && {
      initialMs: request.backoff.initial_ms,
      maxMs: request.backoff.max_ms,
      multiplier: Number(request.backoff.multiplier),
    },
  };
}
