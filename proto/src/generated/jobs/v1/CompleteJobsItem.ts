// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface CompleteJobsItem {
  'job_id'?: (number | string | Long);
  'lease_token'?: (string);
  /**
   * false: the attempt succeeded (CompleteJob, with `result`); true: it failed (FailJob, with `error`).
   */
  'failed'?: (boolean);
  /**
   * JSON text; empty: no result. Must be empty when `failed`.
   */
  'result'?: (string);
  /**
   * The failure's message when `failed`; must be empty otherwise.
   */
  'error'?: (string);
}

export interface CompleteJobsItem__Output {
  'job_id': (string);
  'lease_token': (string);
  /**
   * false: the attempt succeeded (CompleteJob, with `result`); true: it failed (FailJob, with `error`).
   */
  'failed': (boolean);
  /**
   * JSON text; empty: no result. Must be empty when `failed`.
   */
  'result': (string);
  /**
   * The failure's message when `failed`; must be empty otherwise.
   */
  'error': (string);
}
