// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'job_id'?: (number | string | Long);
  'lease_seconds'?: (number);
  'lease_token'?: (string);
}

export interface HeartbeatRequest__Output {
  'job_id': (string);
  'lease_seconds': (number);
  'lease_token': (string);
}
