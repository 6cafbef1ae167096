// The request bodies and response shapes of the /jobs routes beyond the job
// itself (shapes.ts): a new job, the batch list, bulk-retry results, claims and batch completions.
import {
  MAX_ATTEMPTS_MAX,
  MAX_ATTEMPTS_MESSAGE,
  MAX_ATTEMPTS_MIN,
  NAME_MAX_LENGTH,
  PRIORITY_MAX,
  PRIORITY_MESSAGE,
  PRIORITY_MIN,
  TIMEOUT_SECONDS_MAX,
  TIMEOUT_SECONDS_MESSAGE,
} from "@platform/proto/rules";
import { t, type Static } from "elysia";
import { displayName, int } from "../../http/wire";
import { backoffBody, Job, kindName, queueName, time, timestampOf } from "./shapes";

export const RETRY_OUTCOMES = ["retried", "not_found", "not_retryable"] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];
export const JobList = t.Object({ items: t.Array(Job) });
export const RetryResults = t.Object({
  results: t.Array(
    t.Object({
      id: int({ minimum: 1 }),
      outcome: t.UnionEnum(RETRY_OUTCOMES),
      job: t.Optional(Job),
      detail: t.Optional(t.String()),
    }),
  ),
});
/** A claimed job: the one response that carries its lease token. */
export const ClaimedJob = t.Composite([Job, t.Object({ lease_token: t.String() })]);
/** A claim with max_jobs: always a list (empty when none was ready), each job with its own lease token. */
export const ClaimedJobs = t.Object({ items: t.Array(ClaimedJob) });

export const COMPLETE_OUTCOMES = ["recorded", "stale_lease", "wrong_lease", "not_found"] as const;
export type CompleteOutcome = (typeof COMPLETE_OUTCOMES)[number];
/** POST /jobs/complete: one result per item, in request order; with then_claim, the jobs leased next. */
export const CompleteResults = t.Object({
  results: t.Array(
    t.Object({
      job_id: int({ minimum: 1 }),
      outcome: t.UnionEnum(COMPLETE_OUTCOMES),
      job: t.Optional(Job),
      detail: t.Optional(t.String()),
    }),
  ),
  claimed: t.Optional(t.Array(ClaimedJob)),
});

/** A job to create (POST /jobs/, each item of POST /jobs/batch). */
export const newJobBody = t.Object(
  {
    job_name: displayName(NAME_MAX_LENGTH),
    kind: t.Optional(kindName),
    payload: t.Optional(t.Unknown()),
    max_attempts: t.Optional(
      int({ minimum: MAX_ATTEMPTS_MIN, maximum: MAX_ATTEMPTS_MAX, error: MAX_ATTEMPTS_MESSAGE }),
    ),
    priority: t.Optional(
      int({
        minimum: PRIORITY_MIN,
        maximum: PRIORITY_MAX,
        error: PRIORITY_MESSAGE,
        description: "Higher is claimed first; 0 by default.",
      }),
    ),
    queue: t.Optional(queueName),
    timeout_seconds: t.Optional(
      int({
        minimum: 0,
        maximum: TIMEOUT_SECONDS_MAX,
        error: TIMEOUT_SECONDS_MESSAGE,
        description: "How long each attempt may run (heartbeats do not extend it); 0 or absent: no limit.",
      }),
    ),
    run_at: t.Optional(time("Not claimed before this time (at most 366 days ahead); absent: now.")),
    expires_at: t.Optional(
      time('Not claimed by then: the job becomes FAILED ("expired: ..."). After run_at (or now).'),
    ),
    backoff: t.Optional(backoffBody),
  },
  { additionalProperties: false },
);

/** A new job's HTTP body as a CreateJob request. */
export const createJobRequest = (body: Static<typeof newJobBody>, owner: string, idempotencyKey: string) => ({
  job_name: body.job_name,
  kind: body.kind ?? "",
  payload: body.payload === undefined ? "" : JSON.stringify(body.payload),
  max_attempts: body.max_attempts ?? 0,
  idempotency_key: idempotencyKey,
  owner,
  priority: body.priority ?? 0,
  queue: body.queue ?? "",
  run_at: timestampOf(body.run_at),
  expires_at: timestampOf(body.expires_at),
  timeout_seconds: body.timeout_seconds ?? 0,
  backoff: body.backoff
    ? {
        initial_ms: body.backoff.initial_ms ?? 0,
        max_ms: body.backoff.max_ms ?? 0,
        multiplier: body.backoff.multiplier ?? 0,
      }
    : null,
});
