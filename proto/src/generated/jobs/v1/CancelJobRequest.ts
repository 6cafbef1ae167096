// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface CancelJobRequest {
  'id'?: (number | string | Long);
}

export interface CancelJobRequest__Output {
  'id': (string);
}
