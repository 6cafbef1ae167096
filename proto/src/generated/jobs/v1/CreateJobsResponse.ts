// Original file: jobs.proto

import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';

export interface CreateJobsResponse {
  /**
   * The created jobs, in request order.
   */
  'jobs'?: (_jobs_v1_Job)[];
}

export interface CreateJobsResponse__Output {
  /**
   * The created jobs, in request order.
   */
  'jobs': (_jobs_v1_Job__Output)[];
}
