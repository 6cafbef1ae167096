// Original file: schedules.proto

import type { Long } from '@grpc/proto-loader';

export interface GetScheduleRequest {
  'id'?: (number | string | Long);
  /**
   * Empty: any owner; set: another owner's schedule is NOT_FOUND.
   */
  'owner'?: (string);
}

export interface GetScheduleRequest__Output {
  'id': (string);
  /**
   * Empty: any owner; set: another owner's schedule is NOT_FOUND.
   */
  'owner': (string);
}
