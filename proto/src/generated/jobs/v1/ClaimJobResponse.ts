// Original file: jobs.proto

import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';
import type { ClaimedJob as _jobs_v1_ClaimedJob, ClaimedJob__Output as _jobs_v1_ClaimedJob__Output } from '../../jobs/v1/ClaimedJob';

export interface ClaimJobResponse {
  /**
   * Unset when no job is ready. The first of `claimed`.
   */
  'job'?: (_jobs_v1_Job | null);
  /**
   * The secret of this lease (base64url, 256 bits); empty when no job is ready.
   * Heartbeat, CompleteJob and FailJob need it.
   */
  'lease_token'?: (string);
  /**
   * Every job leased by this claim (highest priority, then oldest, first), each with its own token.
   */
  'claimed'?: (_jobs_v1_ClaimedJob)[];
}

export interface ClaimJobResponse__Output {
  /**
   * Unset when no job is ready. The first of `claimed`.
   */
  'job': (_jobs_v1_Job__Output | null);
  /**
   * The secret of this lease (base64url, 256 bits); empty when no job is ready.
   * Heartbeat, CompleteJob and FailJob need it.
   */
  'lease_token': (string);
  /**
   * Every job leased by this claim (highest priority, then oldest, first), each with its own token.
   */
  'claimed': (_jobs_v1_ClaimedJob__Output)[];
}
