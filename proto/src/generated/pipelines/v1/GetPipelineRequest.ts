// Original file: pipelines.proto

import type { Long } from '@grpc/proto-loader';

export interface GetPipelineRequest {
  'id'?: (number | string | Long);
}

export interface GetPipelineRequest__Output {
  'id': (string);
}
