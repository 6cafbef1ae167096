// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface CompleteJobRequest {
  'job_id'?: (number | string | Long);
  'worker_id'?: (string);
  /**
   * JSON text; empty: no result.
   */
  'result'?: (string);
}

export interface CompleteJobRequest__Output {
  'job_id': (string);
  'worker_id': (string);
  /**
   * JSON text; empty: no result.
   */
  'result': (string);
}
