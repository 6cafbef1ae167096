// Original file: jobs.proto

import type { CompleteJobsResult as _jobs_v1_CompleteJobsResult, CompleteJobsResult__Output as _jobs_v1_CompleteJobsResult__Output } from '../../jobs/v1/CompleteJobsResult';

export interface CompleteJobsResponse {
  /**
   * One per item, in request order.
   */
  'results'?: (_jobs_v1_CompleteJobsResult)[];
}

export interface CompleteJobsResponse__Output {
  /**
   * One per item, in request order.
   */
  'results': (_jobs_v1_CompleteJobsResult__Output)[];
}
