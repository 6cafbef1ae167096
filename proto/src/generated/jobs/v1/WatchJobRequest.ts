// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchJobRequest {
  'id'?: (number | string | Long);
}

export interface WatchJobRequest__Output {
  'id': (string);
}
