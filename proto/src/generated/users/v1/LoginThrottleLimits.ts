// Original file: users.proto


/**
 * The budgets travel with each request: the gateway's settings are the one source
 * of truth (LOGIN_MAX_ATTEMPTS_PER_ADDRESS, LOGIN_MAX_FAILURES_PER_USERNAME,
 * LOGIN_THROTTLE_WINDOW_SECONDS). Windows are fixed: they start at the first
 * count and last window_seconds.
 */
export interface LoginThrottleLimits {
  'max_attempts_per_address'?: (number);
  'max_failures_per_username'?: (number);
  'window_seconds'?: (number);
}

/**
 * The budgets travel with each request: the gateway's settings are the one source
 * of truth (LOGIN_MAX_ATTEMPTS_PER_ADDRESS, LOGIN_MAX_FAILURES_PER_USERNAME,
 * LOGIN_THROTTLE_WINDOW_SECONDS). Windows are fixed: they start at the first
 * count and last window_seconds.
 */
export interface LoginThrottleLimits__Output {
  'max_attempts_per_address': (number);
  'max_failures_per_username': (number);
  'window_seconds': (number);
}
