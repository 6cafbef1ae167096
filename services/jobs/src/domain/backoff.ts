// How long a failed attempt waits before it runs again: the service's policy,
// which a job may override with its own backoff (initial wait, longest wait,
// growth per attempt). Pure: no clock, no storage.
import type { Violations } from "@platform/kit";
import {
  BACKOFF_INITIAL_MS_MAX,
  BACKOFF_INITIAL_MS_MESSAGE,
  BACKOFF_MAX_MS_MAX,
  BACKOFF_MAX_MS_MESSAGE,
  BACKOFF_MULTIPLIER_MAX,
  BACKOFF_MULTIPLIER_MESSAGE,
} from "@platform/proto/rules";

/** The service's defaults (JOBS_RETRY_BACKOFF_MS, JOBS_MAX_RETRY_BACKOFF_MS); the wait doubles with each attempt. */
export interface RetryPolicy {
  /** The wait before the first retry. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** A job's own backoff; a null field takes the service's default. */
export interface JobBackoff {
  initialMs: number | null;
  maxMs: number | null;
  multiplier: number | null;
}

export const DEFAULT_BACKOFF_MULTIPLIER = 2;

/**
 * The wait after the `attempts`-th failed attempt: min(initial × multiplier^(attempts−1), max), in whole
 * milliseconds. Without a job backoff (or for its null fields): the policy's initial and max, doubling.
 * A job's initial wait above the policy's max raises the max to it, unless the job sets its own max.
 */
export function backoffMs(attempts: number, policy: RetryPolicy, own: JobBackoff | null = null): number {
  const initial = own?.initialMs ?? policy.baseBackoffMs;
  const max = own?.maxMs ?? (own?.initialMs ? Math.max(policy.maxBackoffMs, own.initialMs) : policy.maxBackoffMs);
  const multiplier = own?.multiplier ?? DEFAULT_BACKOFF_MULTIPLIER;
  return Math.round(Math.min(initial * multiplier ** Math.max(0, attempts - 1), max));
}

/**
 * A backoff from a request (0 in a field: the service's default); null when every field is 0 (or none was
 * given). Problems name `<field>.initial_ms`, `<field>.max_ms`, `<field>.multiplier`.
 */
export function checkBackoff(
  problems: Violations,
  field: string,
  input: { initialMs: number; maxMs: number; multiplier: number } | null | undefined,
): JobBackoff | null {
  if (!input || (input.initialMs === 0 && input.maxMs === 0 && input.multiplier === 0)) return null;
  const { initialMs, maxMs, multiplier } = input;
  if (!Number.isInteger(initialMs) || initialMs < 0 || initialMs > BACKOFF_INITIAL_MS_MAX)
    problems.add(`${field}.initial_ms`, BACKOFF_INITIAL_MS_MESSAGE);
  if (!Number.isInteger(maxMs) || maxMs < 0 || maxMs > BACKOFF_MAX_MS_MAX || (maxMs !== 0 && maxMs < initialMs))
    problems.add(`${field}.max_ms`, BACKOFF_MAX_MS_MESSAGE);
  if (!Number.isFinite(multiplier) || (multiplier !== 0 && (multiplier < 1 || multiplier > BACKOFF_MULTIPLIER_MAX)))
    problems.add(`${field}.multiplier`, BACKOFF_MULTIPLIER_MESSAGE);
  return { initialMs: initialMs || null, maxMs: maxMs || null, multiplier: multiplier || null };
}
