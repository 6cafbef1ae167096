// Original file: jobs.proto

import type { JobStatus as _jobs_v1_JobStatus, JobStatus__Output as _jobs_v1_JobStatus__Output } from '../../jobs/v1/JobStatus';

export interface ListJobsRequest {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size'?: (number);
  /**
   * Opaque cursor from a previous ListJobsResponse; empty for the first page.
   */
  'page_token'?: (string);
  /**
   * UNSPECIFIED: every status.
   */
  'status'?: (_jobs_v1_JobStatus);
  /**
   * Empty: every owner's jobs; set: only this owner's.
   */
  'owner'?: (string);
}

export interface ListJobsRequest__Output {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size': (number);
  /**
   * Opaque cursor from a previous ListJobsResponse; empty for the first page.
   */
  'page_token': (string);
  /**
   * UNSPECIFIED: every status.
   */
  'status': (_jobs_v1_JobStatus__Output);
  /**
   * Empty: every owner's jobs; set: only this owner's.
   */
  'owner': (string);
}
