// Original file: jobs.proto

export const CompleteOutcome = {
  COMPLETE_OUTCOME_UNSPECIFIED: 'COMPLETE_OUTCOME_UNSPECIFIED',
  /**
   * Recorded: `job` is the job now (SUCCEEDED; or, for a failure, PENDING for a retry or FAILED).
   */
  COMPLETE_OUTCOME_RECORDED: 'COMPLETE_OUTCOME_RECORDED',
  /**
   * No such job.
   */
  COMPLETE_OUTCOME_NOT_FOUND: 'COMPLETE_OUTCOME_NOT_FOUND',
  /**
   * The lease ended (the job finished, was cancelled or its lease expired) or the job was leased again:
   * CompleteJob's FAILED_PRECONDITION. `job` is the job as it is.
   */
  COMPLETE_OUTCOME_STALE_LEASE: 'COMPLETE_OUTCOME_STALE_LEASE',
  /**
   * The token never held this job: CompleteJob's PERMISSION_DENIED.
   */
  COMPLETE_OUTCOME_WRONG_LEASE: 'COMPLETE_OUTCOME_WRONG_LEASE',
} as const;

export type CompleteOutcome =
  | 'COMPLETE_OUTCOME_UNSPECIFIED'
  | 0
  /**
   * Recorded: `job` is the job now (SUCCEEDED; or, for a failure, PENDING for a retry or FAILED).
   */
  | 'COMPLETE_OUTCOME_RECORDED'
  | 1
  /**
   * No such job.
   */
  | 'COMPLETE_OUTCOME_NOT_FOUND'
  | 2
  /**
   * The lease ended (the job finished, was cancelled or its lease expired) or the job was leased again:
   * CompleteJob's FAILED_PRECONDITION. `job` is the job as it is.
   */
  | 'COMPLETE_OUTCOME_STALE_LEASE'
  | 3
  /**
   * The token never held this job: CompleteJob's PERMISSION_DENIED.
   */
  | 'COMPLETE_OUTCOME_WRONG_LEASE'
  | 4

export type CompleteOutcome__Output = typeof CompleteOutcome[keyof typeof CompleteOutcome]
