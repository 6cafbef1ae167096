// Original file: jobs.proto

import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';

export interface ListJobsResponse {
  'jobs'?: (_jobs_v1_Job)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListJobsResponse__Output {
  'jobs': (_jobs_v1_Job__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
