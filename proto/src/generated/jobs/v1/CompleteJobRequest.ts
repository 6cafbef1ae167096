// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface CompleteJobRequest {
  'job_id'?: (number | string | Long);
  /**
   * JSON text; empty: no result.
   */
  'result'?: (string);
  'lease_token'?: (string);
}

export interface CompleteJobRequest__Output {
  'job_id': (string);
  /**
   * JSON text; empty: no result.
   */
  'result': (string);
  'lease_token': (string);
}
