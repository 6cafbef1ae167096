// Original file: jobs.proto

import type { JobStatus as _jobs_v1_JobStatus, JobStatus__Output as _jobs_v1_JobStatus__Output } from '../../jobs/v1/JobStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Backoff as _jobs_v1_Backoff, Backoff__Output as _jobs_v1_Backoff__Output } from '../../jobs/v1/Backoff';
import type { Long } from '@grpc/proto-loader';

export interface Job {
  'id'?: (number | string | Long);
  'job_name'?: (string);
  'status'?: (_jobs_v1_JobStatus);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'updated_at'?: (_google_protobuf_Timestamp | null);
  /**
   * What runs it, e.g. "echo", "sleep", "fail"; "noop" when not given.
   */
  'kind'?: (string);
  /**
   * JSON text; empty when the job has none.
   */
  'payload'?: (string);
  /**
   * JSON text set by CompleteJob; empty until then.
   */
  'result'?: (string);
  /**
   * The last failure's message; empty when none.
   */
  'error'?: (string);
  'attempts'?: (number);
  'max_attempts'?: (number);
  /**
   * Unset until the job first runs, and until it is final, respectively.
   */
  'started_at'?: (_google_protobuf_Timestamp | null);
  'finished_at'?: (_google_protobuf_Timestamp | null);
  /**
   * The lease holder while RUNNING; empty otherwise.
   */
  'worker_id'?: (string);
  'lease_expires_at'?: (_google_protobuf_Timestamp | null);
  /**
   * A PENDING job is not handed out before this time (retry backoff).
   */
  'run_after'?: (_google_protobuf_Timestamp | null);
  'idempotency_key'?: (string);
  /**
   * The subject that created it (the token's `sub` at the gateway).
   */
  'owner'?: (string);
  /**
   * Output only, CreateJob: true when an earlier CreateJob with the same
   * idempotency_key (and owner) created this job and this call only replayed it.
   */
  'idempotent_replay'?: (boolean);
  /**
   * Higher is claimed first (-1000 to 1000; 0 by default).
   */
  'priority'?: (number);
  /**
   * The queue it waits in ("default" when not given); a claim may serve some queues only.
   */
  'queue'?: (string);
  /**
   * A PENDING job not yet claimed by then becomes FAILED ("expired: ..."); unset: never.
   */
  'expires_at'?: (_google_protobuf_Timestamp | null);
  /**
   * Each attempt may run this long (heartbeats do not extend it); 0: no limit.
   */
  'timeout_seconds'?: (number);
  /**
   * While RUNNING with a timeout: when this attempt times out (it then counts as a failed attempt).
   */
  'run_deadline'?: (_google_protobuf_Timestamp | null);
  /**
   * How long a failed attempt waits before it is retried; unset: the service's defaults.
   */
  'backoff'?: (_jobs_v1_Backoff | null);
}

export interface Job__Output {
  'id': (string);
  'job_name': (string);
  'status': (_jobs_v1_JobStatus__Output);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'updated_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * What runs it, e.g. "echo", "sleep", "fail"; "noop" when not given.
   */
  'kind': (string);
  /**
   * JSON text; empty when the job has none.
   */
  'payload': (string);
  /**
   * JSON text set by CompleteJob; empty until then.
   */
  'result': (string);
  /**
   * The last failure's message; empty when none.
   */
  'error': (string);
  'attempts': (number);
  'max_attempts': (number);
  /**
   * Unset until the job first runs, and until it is final, respectively.
   */
  'started_at': (_google_protobuf_Timestamp__Output | null);
  'finished_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * The lease holder while RUNNING; empty otherwise.
   */
  'worker_id': (string);
  'lease_expires_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * A PENDING job is not handed out before this time (retry backoff).
   */
  'run_after': (_google_protobuf_Timestamp__Output | null);
  'idempotency_key': (string);
  /**
   * The subject that created it (the token's `sub` at the gateway).
   */
  'owner': (string);
  /**
   * Output only, CreateJob: true when an earlier CreateJob with the same
   * idempotency_key (and owner) created this job and this call only replayed it.
   */
  'idempotent_replay': (boolean);
  /**
   * Higher is claimed first (-1000 to 1000; 0 by default).
   */
  'priority': (number);
  /**
   * The queue it waits in ("default" when not given); a claim may serve some queues only.
   */
  'queue': (string);
  /**
   * A PENDING job not yet claimed by then becomes FAILED ("expired: ..."); unset: never.
   */
  'expires_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Each attempt may run this long (heartbeats do not extend it); 0: no limit.
   */
  'timeout_seconds': (number);
  /**
   * While RUNNING with a timeout: when this attempt times out (it then counts as a failed attempt).
   */
  'run_deadline': (_google_protobuf_Timestamp__Output | null);
  /**
   * How long a failed attempt waits before it is retried; unset: the service's defaults.
   */
  'backoff': (_jobs_v1_Backoff__Output | null);
}
