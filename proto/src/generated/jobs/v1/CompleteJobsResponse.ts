// Original file: jobs.proto

import type { CompleteJobsResult as _jobs_v1_CompleteJobsResult, CompleteJobsResult__Output as _jobs_v1_CompleteJobsResult__Output } from '../../jobs/v1/CompleteJobsResult';
import type { ClaimedJob as _jobs_v1_ClaimedJob, ClaimedJob__Output as _jobs_v1_ClaimedJob__Output } from '../../jobs/v1/ClaimedJob';

export interface CompleteJobsResponse {
  /**
   * One per item, in request order.
   */
  'results'?: (_jobs_v1_CompleteJobsResult)[];
  /**
   * The jobs leased by then_claim (highest priority, then oldest, first), each with its own token.
   */
  'claimed'?: (_jobs_v1_ClaimedJob)[];
}

export interface CompleteJobsResponse__Output {
  /**
   * One per item, in request order.
   */
  'results': (_jobs_v1_CompleteJobsResult__Output)[];
  /**
   * The jobs leased by then_claim (highest priority, then oldest, first), each with its own token.
   */
  'claimed': (_jobs_v1_ClaimedJob__Output)[];
}
