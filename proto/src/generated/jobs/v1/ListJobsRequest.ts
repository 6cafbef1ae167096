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
  /**
   * Empty: every kind; set: only jobs of this kind (same shape as CreateJobRequest.kind).
   */
  'kind'?: (string);
  /**
   * Empty: every queue; set: only jobs in this queue (same shape as CreateJobRequest.queue).
   */
  'queue'?: (string);
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
  /**
   * Empty: every kind; set: only jobs of this kind (same shape as CreateJobRequest.kind).
   */
  'kind': (string);
  /**
   * Empty: every queue; set: only jobs in this queue (same shape as CreateJobRequest.queue).
   */
  'queue': (string);
}
