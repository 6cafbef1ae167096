// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface GetJobRequest {
  'id'?: (number | string | Long);
}

export interface GetJobRequest__Output {
  'id': (string);
}
