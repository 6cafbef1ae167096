// The API's JSON shapes, as the console reads them.
export interface Job {
  id: number;
  job_name: string;
  status: string;
  kind: string;
  queue: string;
  payload: unknown;
  result: unknown;
  error: string | null;
  attempts: number;
  max_attempts: number;
  /** A label the worker chose, not a capability. */
  worker_id: string | null;
  lease_expires_at: string | null;
  /** Who created it (the token's subject). */
  owner: string;
  created_at: string | null;
  updated_at: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface Step {
  name: string;
  kind: string;
  payload: unknown;
  depends_on: string[];
  status: string;
  job_id: number | null;
  error: string | null;
}

export interface Pipeline {
  id: number;
  pipeline_name: string;
  status: string;
  created_at: string | null;
  updated_at: string | null;
  steps: Step[];
  owner: string;
}

export interface User {
  id: number;
  name: string;
  email: string;
  created_at: string | null;
}

/** A recurring schedule (GET /schedules/). */
export interface Schedule {
  id: number;
  name: string;
  cron: string;
  time_zone: string;
  job: { job_name: string; kind: string; payload: unknown; max_attempts: number };
  owner: string;
  paused: boolean;
  /** Unset while paused. */
  next_run_at: string | null;
  /** The scheduled time of the latest firing; unset until it first fires. */
  last_run_at: string | null;
  /** The job the latest firing created; null until then, or once that job is gone. */
  last_job_id: number | null;
  created_at: string | null;
  updated_at: string | null;
}

/** One kind's row of GET /jobs/stats. */
export interface KindStats {
  kind: string;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  oldest_pending_age_seconds: number | null;
}

/** GET /jobs/stats: the caller's jobs (an admin's: everyone's); by_queue: one row per kind and queue. */
export interface JobStats {
  by_status: Record<string, number>;
  by_kind: KindStats[];
  by_queue: Array<KindStats & { queue: string }>;
}

/** One id's outcome in POST /jobs/retry. */
export interface RetryResult {
  id: number;
  outcome: "retried" | "not_found" | "not_retryable";
  detail?: string;
}

export { JOB_STATUSES } from "@platform/proto/enums";
