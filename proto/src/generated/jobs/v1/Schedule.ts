// Original file: schedules.proto

import type { JobTemplate as _jobs_v1_JobTemplate, JobTemplate__Output as _jobs_v1_JobTemplate__Output } from '../../jobs/v1/JobTemplate';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface Schedule {
  'id'?: (number | string | Long);
  'name'?: (string);
  /**
   * A cron expression of 5 fields (minute hour day-of-month month day-of-week)
   * or 6 (seconds first).
   */
  'cron'?: (string);
  /**
   * An IANA time zone the expression is read in, e.g. "Europe/Berlin".
   */
  'time_zone'?: (string);
  'job'?: (_jobs_v1_JobTemplate | null);
  'owner'?: (string);
  'paused'?: (boolean);
  /**
   * The next time it fires; unset while paused (or when the expression has no future time).
   */
  'next_run_at'?: (_google_protobuf_Timestamp | null);
  /**
   * The scheduled time of the latest firing; unset until it first fires.
   */
  'last_run_at'?: (_google_protobuf_Timestamp | null);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'updated_at'?: (_google_protobuf_Timestamp | null);
  /**
   * The job the latest firing created (its idempotency key is "schedule:<id>:<last_run_at ms>");
   * 0 until it first fires, or when that job is gone (retention, or deleted with its owner).
   */
  'last_job_id'?: (number | string | Long);
}

export interface Schedule__Output {
  'id': (string);
  'name': (string);
  /**
   * A cron expression of 5 fields (minute hour day-of-month month day-of-week)
   * or 6 (seconds first).
   */
  'cron': (string);
  /**
   * An IANA time zone the expression is read in, e.g. "Europe/Berlin".
   */
  'time_zone': (string);
  'job': (_jobs_v1_JobTemplate__Output | null);
  'owner': (string);
  'paused': (boolean);
  /**
   * The next time it fires; unset while paused (or when the expression has no future time).
   */
  'next_run_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * The scheduled time of the latest firing; unset until it first fires.
   */
  'last_run_at': (_google_protobuf_Timestamp__Output | null);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'updated_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * The job the latest firing created (its idempotency key is "schedule:<id>:<last_run_at ms>");
   * 0 until it first fires, or when that job is gone (retention, or deleted with its owner).
   */
  'last_job_id': (string);
}
