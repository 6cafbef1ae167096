// Original file: jobs.proto

import type { RetryOutcome as _jobs_v1_RetryOutcome, RetryOutcome__Output as _jobs_v1_RetryOutcome__Output } from '../../jobs/v1/RetryOutcome';
import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';
import type { Long } from '@grpc/proto-loader';

export interface RetryJobsResult {
  'id'?: (number | string | Long);
  'outcome'?: (_jobs_v1_RetryOutcome);
  /**
   * Set unless NOT_FOUND.
   */
  'job'?: (_jobs_v1_Job | null);
  'message'?: (string);
}

export interface RetryJobsResult__Output {
  'id': (string);
  'outcome': (_jobs_v1_RetryOutcome__Output);
  /**
   * Set unless NOT_FOUND.
   */
  'job': (_jobs_v1_Job__Output | null);
  'message': (string);
}
