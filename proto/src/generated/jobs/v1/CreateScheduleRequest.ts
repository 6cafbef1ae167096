// Original file: schedules.proto

import type { JobTemplate as _jobs_v1_JobTemplate, JobTemplate__Output as _jobs_v1_JobTemplate__Output } from '../../jobs/v1/JobTemplate';

export interface CreateScheduleRequest {
  'name'?: (string);
  'cron'?: (string);
  /**
   * Empty: "UTC".
   */
  'time_zone'?: (string);
  'job'?: (_jobs_v1_JobTemplate | null);
  /**
   * The subject that owns it (and the jobs it creates).
   */
  'owner'?: (string);
  /**
   * Created paused: it fires only after ResumeSchedule.
   */
  'paused'?: (boolean);
}

export interface CreateScheduleRequest__Output {
  'name': (string);
  'cron': (string);
  /**
   * Empty: "UTC".
   */
  'time_zone': (string);
  'job': (_jobs_v1_JobTemplate__Output | null);
  /**
   * The subject that owns it (and the jobs it creates).
   */
  'owner': (string);
  /**
   * Created paused: it fires only after ResumeSchedule.
   */
  'paused': (boolean);
}
