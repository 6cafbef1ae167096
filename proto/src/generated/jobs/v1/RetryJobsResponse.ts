// Original file: jobs.proto

import type { RetryJobsResult as _jobs_v1_RetryJobsResult, RetryJobsResult__Output as _jobs_v1_RetryJobsResult__Output } from '../../jobs/v1/RetryJobsResult';

export interface RetryJobsResponse {
  /**
   * One per requested id, in request order.
   */
  'results'?: (_jobs_v1_RetryJobsResult)[];
}

export interface RetryJobsResponse__Output {
  /**
   * One per requested id, in request order.
   */
  'results': (_jobs_v1_RetryJobsResult__Output)[];
}
