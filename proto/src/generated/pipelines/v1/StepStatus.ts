// Original file: pipelines.proto

export const StepStatus = {
  STEP_STATUS_UNSPECIFIED: 'STEP_STATUS_UNSPECIFIED',
  /**
   * Not submitted yet: a step it depends on has not succeeded.
   */
  STEP_STATUS_WAITING: 'STEP_STATUS_WAITING',
  /**
   * PENDING to CANCELLED: the status of the step's job.
   */
  STEP_STATUS_PENDING: 'STEP_STATUS_PENDING',
  STEP_STATUS_RUNNING: 'STEP_STATUS_RUNNING',
  STEP_STATUS_SUCCEEDED: 'STEP_STATUS_SUCCEEDED',
  STEP_STATUS_FAILED: 'STEP_STATUS_FAILED',
  STEP_STATUS_CANCELLED: 'STEP_STATUS_CANCELLED',
  /**
   * Never submitted, because the pipeline failed or was cancelled first.
   */
  STEP_STATUS_SKIPPED: 'STEP_STATUS_SKIPPED',
} as const;

export type StepStatus =
  | 'STEP_STATUS_UNSPECIFIED'
  | 0
  /**
   * Not submitted yet: a step it depends on has not succeeded.
   */
  | 'STEP_STATUS_WAITING'
  | 1
  /**
   * PENDING to CANCELLED: the status of the step's job.
   */
  | 'STEP_STATUS_PENDING'
  | 2
  | 'STEP_STATUS_RUNNING'
  | 3
  | 'STEP_STATUS_SUCCEEDED'
  | 4
  | 'STEP_STATUS_FAILED'
  | 5
  | 'STEP_STATUS_CANCELLED'
  | 6
  /**
   * Never submitted, because the pipeline failed or was cancelled first.
   */
  | 'STEP_STATUS_SKIPPED'
  | 7

export type StepStatus__Output = typeof StepStatus[keyof typeof StepStatus]
