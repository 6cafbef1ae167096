// Original file: jobs.proto


export interface ListJobsRequest {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size'?: (number);
  /**
   * Opaque cursor from a previous ListJobsResponse; empty for the first page.
   */
  'page_token'?: (string);
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
}
