// Original file: schedules.proto

import type { Long } from '@grpc/proto-loader';

export interface PauseScheduleRequest {
  'id'?: (number | string | Long);
  'owner'?: (string);
}

export interface PauseScheduleRequest__Output {
  'id': (string);
  'owner': (string);
}
