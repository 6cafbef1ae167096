// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface RetryJobRequest {
  'id'?: (number | string | Long);
  /**
   * Empty: any owner; set: a job of another owner is NOT_FOUND.
   */
  'owner'?: (string);
}

export interface RetryJobRequest__Output {
  'id': (string);
  /**
   * Empty: any owner; set: a job of another owner is NOT_FOUND.
   */
  'owner': (string);
}
