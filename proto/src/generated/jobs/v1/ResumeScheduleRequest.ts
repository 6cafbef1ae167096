// Original file: schedules.proto

import type { Long } from '@grpc/proto-loader';

export interface ResumeScheduleRequest {
  'id'?: (number | string | Long);
  'owner'?: (string);
}

export interface ResumeScheduleRequest__Output {
  'id': (string);
  'owner': (string);
}
