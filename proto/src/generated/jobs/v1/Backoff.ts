// Original file: jobs.proto


/**
 * The wait before the n-th retry (n = 1 after the first failed attempt):
 * min(initial_ms * multiplier^(n-1), max_ms). A field left 0 takes the service's
 * default (JOBS_RETRY_BACKOFF_MS, JOBS_MAX_RETRY_BACKOFF_MS, 2).
 */
export interface Backoff {
  /**
   * 1 to 86400000 (a day).
   */
  'initial_ms'?: (number);
  /**
   * initial_ms to 604800000 (a week).
   */
  'max_ms'?: (number);
  /**
   * 1 (a fixed wait) to 10.
   */
  'multiplier'?: (number | string);
}

/**
 * The wait before the n-th retry (n = 1 after the first failed attempt):
 * min(initial_ms * multiplier^(n-1), max_ms). A field left 0 takes the service's
 * default (JOBS_RETRY_BACKOFF_MS, JOBS_MAX_RETRY_BACKOFF_MS, 2).
 */
export interface Backoff__Output {
  /**
   * 1 to 86400000 (a day).
   */
  'initial_ms': (number);
  /**
   * initial_ms to 604800000 (a week).
   */
  'max_ms': (number);
  /**
   * 1 (a fixed wait) to 10.
   */
  'multiplier': (number);
}
