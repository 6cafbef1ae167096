// Field rules that are part of the API contract, in one place. The services
// own and enforce them (their domain/ imports these); the gateway's schemas
// use the same numbers, patterns and messages, so its OpenAPI document shows
// them and an early refusal reads exactly like the service's. No runtime
// dependencies. Never re-type one of these literals elsewhere.

/** How a length rule is worded, by the services and the gateway alike. */
export const lengthMessage = {
  empty: "must not be empty",
  atMost: (max: number) => `must be at most ${max} characters`,
  atLeast: (min: number) => `must be at least ${min} characters`,
  items: (max: number) => `must be at most ${max}`,
};

// --- names ---------------------------------------------------------------------

/** Display names (job, pipeline, user, worker id): characters after trimming. */
export const NAME_MAX_LENGTH = 200;

// --- idempotency ----------------------------------------------------------------

/** An idempotency key (the `Idempotency-Key` header, CreateJob's and CreatePipeline's idempotency_key). */
export const IDEMPOTENCY_KEY_PATTERN = "^[\\x21-\\x7e]{1,200}$";
export const IDEMPOTENCY_KEY_MESSAGE = "must be 1 to 200 printable ASCII characters";
/** The same key sent again with another request: the key is not reused for something else. */
export const IDEMPOTENCY_KEY_REUSED_MESSAGE = "was used with a different request body";

// --- jobs ----------------------------------------------------------------------

/** A job kind: a name a worker looks up in its own table, never something it executes. */
export const KIND_PATTERN = "^[a-z][a-z0-9_.-]{0,63}$";
export const KIND_MESSAGE = "must be a lowercase name of letters, digits, '_', '.' or '-' (at most 64)";
/** Attempts a job gets, the first included. */
export const MAX_ATTEMPTS_MIN = 1;
export const MAX_ATTEMPTS_MAX = 100;
export const MAX_ATTEMPTS_MESSAGE = `must be between ${MAX_ATTEMPTS_MIN} and ${MAX_ATTEMPTS_MAX}`;
/** How long a claim's lease lasts, in seconds. */
export const LEASE_SECONDS_MIN = 1;
export const LEASE_SECONDS_MAX = 3600;
export const LEASE_SECONDS_MESSAGE = `must be between ${LEASE_SECONDS_MIN} and ${LEASE_SECONDS_MAX}`;
/** What a claim returns as the lease's token (base64url). */
export const LEASE_TOKEN_PATTERN = "^[A-Za-z0-9_-]{16,200}$";
export const LEASE_TOKEN_MESSAGE = "must be the lease_token a claim returned";
/** How long one claim may wait for a job (a long poll), in milliseconds. */
export const CLAIM_WAIT_MS_MAX = 30_000;
export const CLAIM_WAIT_MS_MESSAGE = `must be between 0 and ${CLAIM_WAIT_MS_MAX}`;
/** Kinds one claim may ask for. */
export const MAX_CLAIM_KINDS = 50;
/** Jobs one claim may lease (ClaimJobRequest.max_jobs). */
export const MAX_CLAIM_JOBS = 100;
export const MAX_CLAIM_JOBS_MESSAGE = `must be between 0 and ${MAX_CLAIM_JOBS}`;
/** Jobs one CreateJobs call (POST /jobs/batch) may create. */
export const MAX_CREATE_JOBS = 500;
/** Items one CompleteJobs call (POST /jobs/complete) may acknowledge. */
export const MAX_COMPLETE_JOBS = 500;
/** A job's own retry backoff (Backoff in jobs.proto): the first wait, the longest, the growth per attempt. */
export const BACKOFF_INITIAL_MS_MAX = 86_400_000;
export const BACKOFF_INITIAL_MS_MESSAGE = `must be between 1 and ${BACKOFF_INITIAL_MS_MAX}`;
export const BACKOFF_MAX_MS_MAX = 604_800_000;
export const BACKOFF_MAX_MS_MESSAGE = `must be between initial_ms and ${BACKOFF_MAX_MS_MAX}`;
export const BACKOFF_MULTIPLIER_MAX = 10;
export const BACKOFF_MULTIPLIER_MESSAGE = `must be between 1 and ${BACKOFF_MULTIPLIER_MAX}`;
/** Jobs one bulk retry may name. */
export const MAX_RETRY_IDS = 100;
/** A failed attempt's error text, in characters. */
export const JOB_ERROR_MAX_LENGTH = 4096;
/** A job's priority: higher is claimed first; 0 by default. */
export const PRIORITY_MIN = -1000;
export const PRIORITY_MAX = 1000;
export const PRIORITY_MESSAGE = `must be an integer between ${PRIORITY_MIN} and ${PRIORITY_MAX}`;
/** A queue name: the same shape as a kind; "default" when not given. */
export const QUEUE_PATTERN = KIND_PATTERN;
export const QUEUE_MESSAGE = KIND_MESSAGE;
export const DEFAULT_QUEUE = "default";
/** Queues one claim may ask for. */
export const MAX_CLAIM_QUEUES = 50;
/** How far ahead a job's run_at may be, in days. */
export const RUN_AT_MAX_AHEAD_DAYS = 366;
export const RUN_AT_MESSAGE = `must be at most ${RUN_AT_MAX_AHEAD_DAYS} days ahead`;
/** A job's run timeout (per attempt), in seconds; 0: none. */
export const TIMEOUT_SECONDS_MAX = 86_400;
export const TIMEOUT_SECONDS_MESSAGE = `must be between 0 (none) and ${TIMEOUT_SECONDS_MAX}`;
export const EXPIRES_AT_MESSAGE = "must be after run_at (or now, without run_at)";

// --- pipelines -----------------------------------------------------------------

export const MAX_STEPS = 50;
/** A step's name, unique within its pipeline. */
export const STEP_NAME_MAX_LENGTH = 64;
export const STEP_NAME_PATTERN = `^[A-Za-z0-9][A-Za-z0-9_.-]{0,${STEP_NAME_MAX_LENGTH - 1}}$`;
export const STEP_NAME_MESSAGE = `must be 1 to ${STEP_NAME_MAX_LENGTH} letters, digits, '_', '.' or '-'`;

// --- users ---------------------------------------------------------------------

export const EMAIL_MAX_LENGTH = 254;
export const EMAIL_MESSAGE = "must be a valid email address";
/**
 * Deliberately simple: one @, no spaces or control characters (PostgreSQL refuses NUL
 * in text), a dot in the domain. Deliverability is not ours to judge. Checked after trimming.
 */
export const EMAIL_PATTERN =
  "^[^\\s@\\u0000-\\u001f\\u007f-\\u009f]+@[^\\s@.\\u0000-\\u001f\\u007f-\\u009f]+(?:\\.[^\\s@.\\u0000-\\u001f\\u007f-\\u009f]+)+$";
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
