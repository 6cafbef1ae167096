// Original file: jobs.proto

import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';

export interface ClaimJobResponse {
  /**
   * Unset when no job is ready.
   */
  'job'?: (_jobs_v1_Job | null);
}

export interface ClaimJobResponse__Output {
  /**
   * Unset when no job is ready.
   */
  'job': (_jobs_v1_Job__Output | null);
}
