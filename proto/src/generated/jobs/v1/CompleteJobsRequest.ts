// Original file: jobs.proto

import type { CompleteJobsItem as _jobs_v1_CompleteJobsItem, CompleteJobsItem__Output as _jobs_v1_CompleteJobsItem__Output } from '../../jobs/v1/CompleteJobsItem';
import type { ClaimJobRequest as _jobs_v1_ClaimJobRequest, ClaimJobRequest__Output as _jobs_v1_ClaimJobRequest__Output } from '../../jobs/v1/ClaimJobRequest';

export interface CompleteJobsRequest {
  /**
   * 1 to 500 items, each job at most once.
   */
  'items'?: (_jobs_v1_CompleteJobsItem)[];
  /**
   * Optional: beside recording the items, lease up to then_claim.max_jobs ready jobs as ClaimJob
   * does, answered in the response's `claimed` (empty when none is ready). A job an item puts back
   * for a retry is not among them (the next claim finds it); when recording fails, the call fails
   * and the jobs leased beside it are released. A busy worker hands in what it finished and takes
   * its next jobs in one round trip. wait_ms must be 0:
   * this answer never waits (a worker with nothing to do long-polls ClaimJob). A malformed
   * then_claim fails the whole call before anything is written (INVALID_ARGUMENT naming
   * then_claim.<field>).
   */
  'then_claim'?: (_jobs_v1_ClaimJobRequest | null);
}

export interface CompleteJobsRequest__Output {
  /**
   * 1 to 500 items, each job at most once.
   */
  'items': (_jobs_v1_CompleteJobsItem__Output)[];
  /**
   * Optional: beside recording the items, lease up to then_claim.max_jobs ready jobs as ClaimJob
   * does, answered in the response's `claimed` (empty when none is ready). A job an item puts back
   * for a retry is not among them (the next claim finds it); when recording fails, the call fails
   * and the jobs leased beside it are released. A busy worker hands in what it finished and takes
   * its next jobs in one round trip. wait_ms must be 0:
   * this answer never waits (a worker with nothing to do long-polls ClaimJob). A malformed
   * then_claim fails the whole call before anything is written (INVALID_ARGUMENT naming
   * then_claim.<field>).
   */
  'then_claim': (_jobs_v1_ClaimJobRequest__Output | null);
}
