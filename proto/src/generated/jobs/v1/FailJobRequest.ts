// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface FailJobRequest {
  'job_id'?: (number | string | Long);
  'error'?: (string);
  'lease_token'?: (string);
}

export interface FailJobRequest__Output {
  'job_id': (string);
  'error': (string);
  'lease_token': (string);
}
