// A jobs row as SQL returns it, and the Job it stands for; the columns every query selects.
import type { Job, JobBackoff, JobStatus } from "../domain/job";

export interface JobRow {
  id: unknown;
  job_name: string;
  kind: string;
  status: JobStatus;
  payload: string | null;
  result: string | null;
  error: string | null;
  attempts: unknown;
  max_attempts: unknown;
  created_at: unknown;
  updated_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  worker_id: string | null;
  lease_expires_at: unknown;
  run_after: unknown;
  idempotency_key: string | null;
  owner: string;
  lease_token_hash: string | null;
  previous_lease_token_hash: string | null;
  version: unknown;
  priority: unknown;
  queue: string;
  expires_at: unknown;
  timeout_seconds: unknown;
  run_deadline: unknown;
  backoff_initial_ms: unknown;
  backoff_max_ms: unknown;
  backoff_multiplier: unknown;
}

export const date = (ms: unknown) => new Date(Number(ms));
const maybeDate = (ms: unknown) => (ms === null || ms === undefined ? null : date(ms));
export const ms = (d: Date | null) => (d === null ? null : d.getTime());
const maybeNumber = (n: unknown) => (n === null || n === undefined ? null : Number(n));

function toBackoff(row: JobRow): JobBackoff | null {
  const backoff = {
    initialMs: maybeNumber(row.backoff_initial_ms),
    maxMs: maybeNumber(row.backoff_max_ms),
    multiplier: maybeNumber(row.backoff_multiplier),
  };
  return backoff.initialMs === null && backoff.maxMs === null && backoff.multiplier === null ? null : backoff;
}

export const backoffColumns = (backoff: JobBackoff | null) => [
  backoff?.initialMs ?? null,
  backoff?.maxMs ?? null,
  backoff?.multiplier ?? null,
];

export function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    name: row.job_name,
    kind: row.kind,
    status: row.status,
    payload: row.payload,
    result: row.result,
    error: row.error,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    startedAt: maybeDate(row.started_at),
    finishedAt: maybeDate(row.finished_at),
    workerId: row.worker_id,
    leaseExpiresAt: maybeDate(row.lease_expires_at),
    runAfter: date(row.run_after),
    idempotencyKey: row.idempotency_key,
    owner: row.owner,
    leaseTokenHash: row.lease_token_hash,
    previousLeaseTokenHash: row.previous_lease_token_hash,
    version: Number(row.version),
    priority: Number(row.priority),
    queue: row.queue,
    expiresAt: maybeDate(row.expires_at),
    timeoutSeconds: Number(row.timeout_seconds),
    runDeadline: maybeDate(row.run_deadline),
    backoff: toBackoff(row),
  };
}

export const COLUMNS =
  "id, job_name, kind, status, payload, result, error, attempts, max_attempts, created_at, updated_at, started_at, finished_at, worker_id, lease_expires_at, run_after, idempotency_key, owner, lease_token_hash, previous_lease_token_hash, version, priority, queue, expires_at, timeout_seconds, run_deadline, backoff_initial_ms, backoff_max_ms, backoff_multiplier";

/** COLUMNS, each qualified by `table` (a statement that reads another table too). */
export const columnsOf = (table: string) =>
  COLUMNS.split(", ")
    .map((column) => `${table}.${column}`)
    .join(", ");
