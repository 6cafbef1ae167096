// Original file: jobs.proto

export const RetryOutcome = {
  RETRY_OUTCOME_UNSPECIFIED: 'RETRY_OUTCOME_UNSPECIFIED',
  /**
   * Back to PENDING; `job` is the job now.
   */
  RETRY_OUTCOME_RETRIED: 'RETRY_OUTCOME_RETRIED',
  /**
   * No such job (or another owner's).
   */
  RETRY_OUTCOME_NOT_FOUND: 'RETRY_OUTCOME_NOT_FOUND',
  /**
   * Not FAILED or CANCELLED; `job` is the job as it is, `message` says why.
   */
  RETRY_OUTCOME_NOT_RETRYABLE: 'RETRY_OUTCOME_NOT_RETRYABLE',
} as const;

export type RetryOutcome =
  | 'RETRY_OUTCOME_UNSPECIFIED'
  | 0
  /**
   * Back to PENDING; `job` is the job now.
   */
  | 'RETRY_OUTCOME_RETRIED'
  | 1
  /**
   * No such job (or another owner's).
   */
  | 'RETRY_OUTCOME_NOT_FOUND'
  | 2
  /**
   * Not FAILED or CANCELLED; `job` is the job as it is, `message` says why.
   */
  | 'RETRY_OUTCOME_NOT_RETRYABLE'
  | 3

export type RetryOutcome__Output = typeof RetryOutcome[keyof typeof RetryOutcome]
