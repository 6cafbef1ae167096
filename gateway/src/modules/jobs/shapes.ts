// The wire shapes of /jobs: jobs and stats as HTTP JSON, and the body schemas the
// routes share (bounds from @platform/proto/rules, enforced by the jobs service).
import type { Job__Output, JobStats__Output, KindStats__Output } from "@platform/proto";
import { JOB_STATUSES, JobStatuses } from "@platform/proto/enums";
import {
  BACKOFF_INITIAL_MS_MAX,
  BACKOFF_INITIAL_MS_MESSAGE,
  BACKOFF_MAX_MS_MAX,
  BACKOFF_MAX_MS_MESSAGE,
  BACKOFF_MULTIPLIER_MAX,
  BACKOFF_MULTIPLIER_MESSAGE,
  KIND_MESSAGE,
  KIND_PATTERN,
  LEASE_SECONDS_MAX,
  LEASE_SECONDS_MESSAGE,
  LEASE_SECONDS_MIN,
  LEASE_TOKEN_MESSAGE,
  LEASE_TOKEN_PATTERN,
  CLAIM_WAIT_MS_MAX,
  NAME_MAX_LENGTH,
  QUEUE_MESSAGE,
  QUEUE_PATTERN,
} from "@platform/proto/rules";
import { toTimestamp } from "@platform/kit";
import { t, type Static } from "elysia";
import { displayName, enumName, int, jsonAny, nullable, rfc3339, timestamp } from "../../http/wire";

/** JSON text from the service → the JSON value it holds (null when empty). */
export const jsonValue = (text: string): unknown => (text === "" ? null : JSON.parse(text));

export const Job = t.Object({
  id: int({ minimum: 1 }),
  job_name: t.String(),
  status: t.UnionEnum([...JOB_STATUSES]),
  created_at: timestamp(),
  updated_at: timestamp(),
  kind: t.String({ description: 'The handler that runs it; "" for a plain job.' }),
  payload: jsonAny("The job's input; null when none."),
  result: jsonAny("What the worker reported on success; null until then."),
  error: nullable(t.String()),
  attempts: int({ minimum: 0 }),
  max_attempts: int({ minimum: 0 }),
  started_at: timestamp(),
  finished_at: timestamp(),
  worker_id: nullable(t.String()),
  lease_expires_at: timestamp(),
  run_after: timestamp(),
  owner: t.String(),
  priority: int(),
  queue: t.String(),
  expires_at: timestamp(),
  timeout_seconds: nullable(int({ minimum: 1 })),
  run_deadline: timestamp(),
  backoff: nullable(
    t.Object(
      {
        initial_ms: nullable(int({ minimum: 1, maximum: BACKOFF_INITIAL_MS_MAX })),
        max_ms: nullable(int({ minimum: 1, maximum: BACKOFF_MAX_MS_MAX })),
        multiplier: nullable(t.Number({ minimum: 1, maximum: BACKOFF_MULTIPLIER_MAX })),
      },
      { description: "The job's own retry backoff (a field null: the service's default); null: the service's." },
    ),
  ),
});
export type HttpJob = Static<typeof Job>;

export function toHttpJob(job: Job__Output): HttpJob {
  return {
    id: Number(job.id),
    job_name: job.job_name,
    status: enumName(job.status, JobStatuses.prefix) as HttpJob["status"],
    created_at: rfc3339(job.created_at),
    updated_at: rfc3339(job.updated_at),
    kind: job.kind,
    payload: jsonValue(job.payload),
    result: jsonValue(job.result),
    error: job.error || null,
    attempts: job.attempts,
    max_attempts: job.max_attempts,
    started_at: rfc3339(job.started_at),
    finished_at: rfc3339(job.finished_at),
    worker_id: job.worker_id || null,
    lease_expires_at: rfc3339(job.lease_expires_at),
    run_after: rfc3339(job.run_after),
    owner: job.owner,
    priority: job.priority,
    queue: job.queue,
    expires_at: rfc3339(job.expires_at),
    timeout_seconds: job.timeout_seconds || null,
    run_deadline: rfc3339(job.run_deadline),
    // The job's own retry backoff (a field null: the service's default); null: the service's throughout.
    backoff: job.backoff
      ? {
          initial_ms: job.backoff.initial_ms || null,
          max_ms: job.backoff.max_ms || null,
          multiplier: job.backoff.multiplier || null,
        }
      : null,
  };
}

/** One KindStats as HTTP JSON: the counts, and the oldest PENDING job's age (null when none waits). */
function toHttpCounts(k: KindStats__Output) {
  const pending = Number(k.pending);
  return {
    kind: k.kind,
    pending,
    running: Number(k.running),
    succeeded: Number(k.succeeded),
    failed: Number(k.failed),
    cancelled: Number(k.cancelled),
    oldest_pending_age_seconds: pending > 0 ? k.oldest_pending_age_seconds : null,
  };
}

/**
 * GET /jobs/stats: the caller's jobs (an admin's: everyone's) counted by status, per kind (in kind
 * order) and per kind and queue (`by_queue`, in kind then queue order), each with the age of the oldest
 * PENDING job (null when none waits).
 */
const count = int({ minimum: 0 });
const KindCounts = t.Object({
  kind: t.String(),
  pending: count,
  running: count,
  succeeded: count,
  failed: count,
  cancelled: count,
  oldest_pending_age_seconds: nullable(t.Number({ minimum: 0 })),
});
export const JobStats = t.Object({
  by_status: t.Object({ PENDING: count, RUNNING: count, SUCCEEDED: count, FAILED: count, CANCELLED: count }),
  by_kind: t.Array(KindCounts),
  by_queue: t.Array(t.Composite([KindCounts, t.Object({ queue: t.String() })])),
});
export type HttpJobStats = Static<typeof JobStats>;

export function toHttpStats(stats: JobStats__Output): HttpJobStats {
  const by_kind = stats.kinds.map(toHttpCounts);
  const by_queue = stats.queues.map((q) => ({ ...toHttpCounts(q), queue: q.queue }));
  const sum = (field: "pending" | "running" | "succeeded" | "failed" | "cancelled") =>
    by_kind.reduce((total, k) => total + k[field], 0);
  return {
    by_status: {
      PENDING: sum("pending"),
      RUNNING: sum("running"),
      SUCCEEDED: sum("succeeded"),
      FAILED: sum("failed"),
      CANCELLED: sum("cancelled"),
    },
    by_kind,
    by_queue,
  };
}

/** How long one watch may stay open; clients reconnect after that. */
export const WATCH_MAX_MS = 60 * 60_000;

// The rules are the jobs service's (@platform/proto/rules): the same numbers and messages, so they show in the OpenAPI document.
export const workerId = displayName(
  NAME_MAX_LENGTH,
  "A label for humans (logs, the job's worker_id); never a capability.",
);
export const leaseToken = t.String({
  pattern: LEASE_TOKEN_PATTERN,
  error: LEASE_TOKEN_MESSAGE,
  description: "The secret a claim returned; only its holder may heartbeat, complete or fail the job.",
});
export const leaseSeconds = t.Optional(
  int({ minimum: LEASE_SECONDS_MIN, maximum: LEASE_SECONDS_MAX, error: LEASE_SECONDS_MESSAGE }),
);
/**
 * The longest wait_ms a claim over HTTP may ask for: below the contract's
 * maximum, and below the edge's route timeout (Envoy, envoy/options.ts
 * DEFAULT_ROUTE_TIMEOUT_MS, 10 s) with room to answer, so a long poll through
 * the edge ends as an answer (204), never as the edge's 504.
 */
export const HTTP_CLAIM_WAIT_MS_MAX = Math.min(CLAIM_WAIT_MS_MAX, 8_000);
export const claimWaitMs = t.Optional(
  int({
    minimum: 0,
    maximum: HTTP_CLAIM_WAIT_MS_MAX,
    error: `must be between 0 and ${HTTP_CLAIM_WAIT_MS_MAX}`,
    description: `How long to wait for a job when none is ready (a long poll: the job is returned the moment it is ready); 0 or absent: answer at once. At most ${HTTP_CLAIM_WAIT_MS_MAX} ms, under the edge's route timeout.`,
  }),
);
export const kindName = t.String({ pattern: KIND_PATTERN, error: KIND_MESSAGE });
export const queueName = t.String({ pattern: QUEUE_PATTERN, error: QUEUE_MESSAGE });
export const time = (description: string) =>
  t.String({ format: "date-time", error: "must be an RFC 3339 time, e.g. 2030-01-01T00:00:00Z", description });
/** An RFC 3339 time from a body (already checked) → a Timestamp; absent: unset. */
export const timestampOf = (text: string | undefined) => (text === undefined ? null : toTimestamp(new Date(text)));
/** A job's own retry backoff (jobs.proto Backoff); every field optional (absent: the service's default). */
export const backoffBody = t.Object(
  {
    initial_ms: t.Optional(
      int({
        minimum: 1,
        maximum: BACKOFF_INITIAL_MS_MAX,
        error: BACKOFF_INITIAL_MS_MESSAGE,
        description: "The wait before the first retry, in ms.",
      }),
    ),
    max_ms: t.Optional(
      int({
        minimum: 1,
        maximum: BACKOFF_MAX_MS_MAX,
        error: BACKOFF_MAX_MS_MESSAGE,
        description: "The longest wait, in ms (at least initial_ms).",
      }),
    ),
    multiplier: t.Optional(
      t.Number({
        minimum: 1,
        maximum: BACKOFF_MULTIPLIER_MAX,
        error: BACKOFF_MULTIPLIER_MESSAGE,
        description: "How much each wait grows over the one before (1: a fixed wait; 2 by default).",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "How long a failed attempt waits before its retry: min(initial_ms × multiplier^(n−1), max_ms).",
  },
);
