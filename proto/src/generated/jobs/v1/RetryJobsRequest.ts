// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface RetryJobsRequest {
  /**
   * 1 to 100 job ids.
   */
  'ids'?: (number | string | Long)[];
  /**
   * Empty: any owner; set: another owner's job is reported NOT_FOUND.
   */
  'owner'?: (string);
}

export interface RetryJobsRequest__Output {
  /**
   * 1 to 100 job ids.
   */
  'ids': (string)[];
  /**
   * Empty: any owner; set: another owner's job is reported NOT_FOUND.
   */
  'owner': (string);
}
