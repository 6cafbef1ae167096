// Original file: pipelines.proto


export interface ListPipelinesRequest {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size'?: (number);
  /**
   * Opaque cursor from a previous ListPipelinesResponse; empty for the first page.
   */
  'page_token'?: (string);
}

export interface ListPipelinesRequest__Output {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size': (number);
  /**
   * Opaque cursor from a previous ListPipelinesResponse; empty for the first page.
   */
  'page_token': (string);
}
