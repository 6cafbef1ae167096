// Field rules that are part of the API contract: the services enforce them
// (their domain/ imports these), and the gateway's schemas document the same
// numbers and patterns in its OpenAPI document. No runtime dependencies.
// Change a rule here and both follow; never re-type one of these literals.

/** A job kind: a name a worker looks up in its own table, never something it executes. */
export const KIND_PATTERN = "^[a-z][a-z0-9_.-]{0,63}$";
export const KIND_MESSAGE = "must be a lowercase name of letters, digits, '_', '.' or '-' (at most 64)";
/** A job's attempts, retries included. */
export const MAX_ATTEMPTS_MIN = 1;
export const MAX_ATTEMPTS_MAX = 100;
export const MAX_ATTEMPTS_MESSAGE = `must be between ${MAX_ATTEMPTS_MIN} and ${MAX_ATTEMPTS_MAX}`;
/** How long a claim's lease lasts, in seconds. */
export const LEASE_SECONDS_MIN = 1;
export const LEASE_SECONDS_MAX = 3600;
export const LEASE_SECONDS_MESSAGE = `must be between ${LEASE_SECONDS_MIN} and ${LEASE_SECONDS_MAX}`;
/** A failed attempt's error text, in characters. */
export const JOB_ERROR_MAX_LENGTH = 4096;
/** Display names (job, pipeline, user, worker id), in characters after trimming. */
export const NAME_MAX_LENGTH = 200;
/** A pipeline's steps. */
export const MAX_STEPS = 50;
export const STEP_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
export const STEP_NAME_MESSAGE = "must be 1 to 64 letters, digits, '_', '.' or '-'";
/** Users. */
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
