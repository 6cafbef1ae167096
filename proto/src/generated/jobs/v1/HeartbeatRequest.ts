// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'job_id'?: (number | string | Long);
  'worker_id'?: (string);
  'lease_seconds'?: (number);
}

export interface HeartbeatRequest__Output {
  'job_id': (string);
  'worker_id': (string);
  'lease_seconds': (number);
}
