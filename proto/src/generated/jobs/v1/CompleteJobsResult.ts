// Original file: jobs.proto

import type { CompleteOutcome as _jobs_v1_CompleteOutcome, CompleteOutcome__Output as _jobs_v1_CompleteOutcome__Output } from '../../jobs/v1/CompleteOutcome';
import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';
import type { Long } from '@grpc/proto-loader';

export interface CompleteJobsResult {
  'job_id'?: (number | string | Long);
  'outcome'?: (_jobs_v1_CompleteOutcome);
  /**
   * Set when RECORDED or STALE_LEASE.
   */
  'job'?: (_jobs_v1_Job | null);
  /**
   * Why, unless RECORDED.
   */
  'message'?: (string);
}

export interface CompleteJobsResult__Output {
  'job_id': (string);
  'outcome': (_jobs_v1_CompleteOutcome__Output);
  /**
   * Set when RECORDED or STALE_LEASE.
   */
  'job': (_jobs_v1_Job__Output | null);
  /**
   * Why, unless RECORDED.
   */
  'message': (string);
}
