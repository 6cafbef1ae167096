// Original file: pipelines.proto

import type { Long } from '@grpc/proto-loader';

export interface CancelPipelineRequest {
  'id'?: (number | string | Long);
}

export interface CancelPipelineRequest__Output {
  'id': (string);
}
