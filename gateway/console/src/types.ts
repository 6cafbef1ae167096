// The API's JSON shapes, as the console reads them.
export interface Job {
  id: number;
  job_name: string;
  status: string;
  kind: string;
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

export { JOB_STATUSES } from "@platform/proto/enums";
