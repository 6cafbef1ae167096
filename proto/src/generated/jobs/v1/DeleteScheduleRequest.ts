// Original file: schedules.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteScheduleRequest {
  'id'?: (number | string | Long);
  'owner'?: (string);
}

export interface DeleteScheduleRequest__Output {
  'id': (string);
  'owner': (string);
}
