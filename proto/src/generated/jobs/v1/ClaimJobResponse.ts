// Original file: jobs.proto

import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';

export interface ClaimJobResponse {
  /**
   * Unset when no job is ready.
   */
  'job'?: (_jobs_v1_Job | null);
  /**
   * The secret of this lease (base64url, 256 bits); empty when no job is ready.
   * Heartbeat, CompleteJob and FailJob need it.
   */
  'lease_token'?: (string);
}

export interface ClaimJobResponse__Output {
  /**
   * Unset when no job is ready.
   */
  'job': (_jobs_v1_Job__Output | null);
  /**
   * The secret of this lease (base64url, 256 bits); empty when no job is ready.
   * Heartbeat, CompleteJob and FailJob need it.
   */
  'lease_token': (string);
}
