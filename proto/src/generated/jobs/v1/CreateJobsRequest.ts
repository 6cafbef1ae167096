// Original file: jobs.proto

import type { CreateJobRequest as _jobs_v1_CreateJobRequest, CreateJobRequest__Output as _jobs_v1_CreateJobRequest__Output } from '../../jobs/v1/CreateJobRequest';

export interface CreateJobsRequest {
  /**
   * 1 to 500 jobs; idempotency_key is not supported here (use CreateJob).
   */
  'jobs'?: (_jobs_v1_CreateJobRequest)[];
}

export interface CreateJobsRequest__Output {
  /**
   * 1 to 500 jobs; idempotency_key is not supported here (use CreateJob).
   */
  'jobs': (_jobs_v1_CreateJobRequest__Output)[];
}
