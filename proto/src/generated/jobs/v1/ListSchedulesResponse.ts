// Original file: schedules.proto

import type { Schedule as _jobs_v1_Schedule, Schedule__Output as _jobs_v1_Schedule__Output } from '../../jobs/v1/Schedule';

export interface ListSchedulesResponse {
  'schedules'?: (_jobs_v1_Schedule)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListSchedulesResponse__Output {
  'schedules': (_jobs_v1_Schedule__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
