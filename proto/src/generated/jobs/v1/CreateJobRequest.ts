// Original file: jobs.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Backoff as _jobs_v1_Backoff, Backoff__Output as _jobs_v1_Backoff__Output } from '../../jobs/v1/Backoff';

export interface CreateJobRequest {
  'job_name'?: (string);
  /**
   * Empty: "noop".
   */
  'kind'?: (string);
  /**
   * JSON text, at most 64 KiB; empty: none.
   */
  'payload'?: (string);
  /**
   * 0: the default (3).
   */
  'max_attempts'?: (number);
  /**
   * When set, creating again with the same key (and owner) and the same request
   * (job_name, kind, payload, max_attempts) returns the job created first; the
   * same key with a different request is INVALID_ARGUMENT (field idempotency_key).
   * 1 to 200 printable ASCII characters.
   */
  'idempotency_key'?: (string);
  /**
   * Required: who the job belongs to.
   */
  'owner'?: (string);
  /**
   * -1000 to 1000; higher is claimed first. 0 by default.
   */
  'priority'?: (number);
  /**
   * Same shape as a kind; empty: "default".
   */
  'queue'?: (string);
  /**
   * Not claimed before this time (at most 366 days ahead); unset or past: now.
   */
  'run_at'?: (_google_protobuf_Timestamp | null);
  /**
   * Never claimed by then: FAILED with error "expired: no worker claimed it before <time>".
   * Must be after run_at (or now). Unset: never expires.
   */
  'expires_at'?: (_google_protobuf_Timestamp | null);
  /**
   * How long each attempt may run, in seconds (0 to 86400; 0: no limit). An attempt that runs
   * longer fails with error "timed out: ...", and is retried like any failed attempt.
   */
  'timeout_seconds'?: (number);
  /**
   * How long a failed attempt waits before its retry; unset: the service's defaults.
   */
  'backoff'?: (_jobs_v1_Backoff | null);
}

export interface CreateJobRequest__Output {
  'job_name': (string);
  /**
   * Empty: "noop".
   */
  'kind': (string);
  /**
   * JSON text, at most 64 KiB; empty: none.
   */
  'payload': (string);
  /**
   * 0: the default (3).
   */
  'max_attempts': (number);
  /**
   * When set, creating again with the same key (and owner) and the same request
   * (job_name, kind, payload, max_attempts) returns the job created first; the
   * same key with a different request is INVALID_ARGUMENT (field idempotency_key).
   * 1 to 200 printable ASCII characters.
   */
  'idempotency_key': (string);
  /**
   * Required: who the job belongs to.
   */
  'owner': (string);
  /**
   * -1000 to 1000; higher is claimed first. 0 by default.
   */
  'priority': (number);
  /**
   * Same shape as a kind; empty: "default".
   */
  'queue': (string);
  /**
   * Not claimed before this time (at most 366 days ahead); unset or past: now.
   */
  'run_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Never claimed by then: FAILED with error "expired: no worker claimed it before <time>".
   * Must be after run_at (or now). Unset: never expires.
   */
  'expires_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * How long each attempt may run, in seconds (0 to 86400; 0: no limit). An attempt that runs
   * longer fails with error "timed out: ...", and is retried like any failed attempt.
   */
  'timeout_seconds': (number);
  /**
   * How long a failed attempt waits before its retry; unset: the service's defaults.
   */
  'backoff': (_jobs_v1_Backoff__Output | null);
}
