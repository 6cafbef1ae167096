// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface FailJobRequest {
  'job_id'?: (number | string | Long);
  'worker_id'?: (string);
  'error'?: (string);
}

export interface FailJobRequest__Output {
  'job_id': (string);
  'worker_id': (string);
  'error': (string);
}
