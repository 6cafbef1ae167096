// Original file: pipelines.proto

import type { Long } from '@grpc/proto-loader';

export interface RetryPipelineRequest {
  'id'?: (number | string | Long);
  /**
   * Empty: any owner; set: a pipeline of another owner is NOT_FOUND.
   */
  'owner'?: (string);
}

export interface RetryPipelineRequest__Output {
  'id': (string);
  /**
   * Empty: any owner; set: a pipeline of another owner is NOT_FOUND.
   */
  'owner': (string);
}
