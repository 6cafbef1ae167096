// Calls to the gateway's public HTTP API with the in-memory bearer token. A 401
// on any call ends the session, which takes the console back to sign-in.
import { session } from "./session";
import type { JobStats, Pipeline, RetryResult, Schedule } from "./types";

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  request_id?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `request failed with status ${status}`);
    this.name = "ApiError";
  }
  /** The problem's field errors by field name (first message per field). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.field] ??= e.message;
    return out;
  }
}

export const SESSION_ENDED = "Your session is no longer valid. Sign in again.";

export interface Page<T> {
  items: T[];
  next_page_token?: string;
}

/** Sends a request and returns the raw response once it is known to be a success. */
export async function send(
  method: string,
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal; accept?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: init.accept ?? "application/json" };
  const token = session.current?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: init.signal,
  });
  if (response.ok) return response;
  let problem: Problem = { status: response.status };
  try {
    if (/json/.test(response.headers.get("content-type") ?? "")) problem = (await response.json()) as Problem;
  } catch {
    // not a problem body: keep the status alone
  }
  if (response.status === 401 && token) session.end(SESSION_ENDED);
  throw new ApiError(response.status, problem);
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal } = {},
): Promise<T> {
  const response = await send(method, path, body, init);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// Named calls for the actions of the schedules, queues and pipeline pages (lists go through usePagedList).

/** POST /schedules/: the body as the form built it; a 422 names the field. */
export const createSchedule = (body: unknown) => api<Schedule>("POST", "/schedules/", body);
export const pauseSchedule = (id: number) => api<Schedule>("POST", `/schedules/${id}/pause`);
export const resumeSchedule = (id: number) => api<Schedule>("POST", `/schedules/${id}/resume`);
export const deleteSchedule = (id: number) => api<void>("DELETE", `/schedules/${id}`);

export const jobStats = () => api<JobStats>("GET", "/jobs/stats");
/** POST /jobs/retry: at most MAX_RETRY_IDS ids per call. */
export const retryJobs = (ids: number[]) => api<{ results: RetryResult[] }>("POST", "/jobs/retry", { ids });

/** POST /pipelines/{id}/retry: runs a FAILED or CANCELLED pipeline's failed steps again. */
export const retryPipeline = (id: number | string) => api<Pipeline>("POST", `/pipelines/${id}/retry`);
/** POST /pipelines/{id}/rerun: runs a finished pipeline again from the start. */
export const rerunPipeline = (id: number | string) => api<Pipeline>("POST", `/pipelines/${id}/rerun`);
