// Calls to the gateway's public HTTP API through the typed client
// (@platform/client: Eden treaty over the gateway's route declarations) with the
// in-memory bearer token. A 401 on any call ends the session, which takes the
// console back to sign-in; every other failure is the client's ApiError (the
// problem+json fields) or NetworkError, shown by the page that made the call.
import { type Api, ApiError, createApi, type Pipeline, type TreatyResult, unwrap } from "@platform/client";
import { session } from "./session";

export { ApiError, NetworkError, type Page, type Problem, toError } from "@platform/client";

export const SESSION_ENDED = "Your session is no longer valid. Sign in again.";

let client: Api | undefined;

/** The typed client for the page's origin, sending the session's token (asked on every call). */
export const gateway = (): Api => (client ??= createApi({ token: () => session.current?.token }));

/** A 401 answer to a call that carried a token ends the session. */
export function endSessionOn401(error: unknown, token: string | undefined): void {
  if (error instanceof ApiError && error.status === 401 && token) session.end(SESSION_ENDED);
}

/** The data of a call, or its ApiError / NetworkError thrown. */
export async function call<R extends TreatyResult<unknown>>(request: Promise<R>): Promise<Exclude<R["data"], null>> {
  const token = session.current?.token;
  try {
    return await unwrap(request);
  } catch (error) {
    endSessionOn401(error, token);
    throw error;
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// Named calls for the actions of the schedules, queues and pipeline pages (lists go through usePagedList).

type NewSchedule = Parameters<Api["schedules"]["post"]>[0];

/** POST /schedules/: the body as the form built it (sent as typed: a 422 names the field). */
export const createSchedule = (body: Record<string, unknown>) => call(gateway().schedules.post(body as NewSchedule));
export const pauseSchedule = (id: number) => call(gateway().schedules({ id }).pause.post());
export const resumeSchedule = (id: number) => call(gateway().schedules({ id }).resume.post());
export const deleteSchedule = (id: number) => call(gateway().schedules({ id }).delete());

export const jobStats = () => call(gateway().jobs.stats.get());
/** POST /jobs/retry: at most MAX_RETRY_IDS ids per call. */
export const retryJobs = (ids: number[]) => call(gateway().jobs.retry.post({ ids }));

type PipelineById = ReturnType<Api["pipelines"]>;
/**
 * A pipeline's routes, retry and re-run included: those two come with the pipelines
 * slice's routes; until the gateway's App declares them they are reached by the
 * same treaty path with the answer typed as the client's Pipeline model (once
 * declared, the route's own types apply).
 */
type PipelineRoutes = PipelineById extends { retry: unknown; rerun: unknown }
  ? PipelineById
  : PipelineById & Record<"retry" | "rerun", { post(): Promise<TreatyResult<Pipeline>> }>;
const pipeline = (id: number | string) => gateway().pipelines({ id }) as PipelineRoutes;

/** POST /pipelines/{id}/retry: runs a FAILED or CANCELLED pipeline's failed steps again. */
export const retryPipeline = (id: number | string) => call(pipeline(id).retry.post());
/** POST /pipelines/{id}/rerun: runs a finished pipeline again from the start. */
export const rerunPipeline = (id: number | string) => call(pipeline(id).rerun.post());
