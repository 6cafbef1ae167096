// Original file: jobs.proto

import type { CompleteJobsItem as _jobs_v1_CompleteJobsItem, CompleteJobsItem__Output as _jobs_v1_CompleteJobsItem__Output } from '../../jobs/v1/CompleteJobsItem';

export interface CompleteJobsRequest {
  /**
   * 1 to 500 items, each job at most once.
   */
  'items'?: (_jobs_v1_CompleteJobsItem)[];
}

export interface CompleteJobsRequest__Output {
  /**
   * 1 to 500 items, each job at most once.
   */
  'items': (_jobs_v1_CompleteJobsItem__Output)[];
}
