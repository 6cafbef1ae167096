// The pipelines service's client of the jobs service: every call has a
// deadline and carries the request id it serves; a call made while serving one
// passes that call as `parent`, so its deadline and cancellation reach jobs.
// A trusted internal caller: it reads and cancels step jobs with an empty owner
// condition (any owner); the pipeline's owner was checked before.
import * as grpc from "@grpc/grpc-js";
import { ServiceClient, type CallOrigin, type GrpcTls, type Logger } from "@platform/kit";
import { FINAL_JOB_STATUSES } from "@platform/proto/enums";
import { jobs, JobStatuses, SERVICE_NAMES, type Job__Output, type JobStatusName } from "@platform/proto";

export interface JobView {
  id: number;
  /** Without the JOB_STATUS_ prefix; undefined: a status this version does not know. */
  status: JobStatusName | undefined;
  error: string;
  /** JSON text; "" until it succeeds (and when it returned none). */
  result: string;
}

/**
 * Who a call is made for: the served call's context (CreatePipeline,
 * CancelPipeline: deadline and cancellation propagate), or, for background
 * reconciles, just a request id (the client's own deadline applies).
 */
export type CallOptions = CallOrigin;

/** What orchestration needs from the jobs service. */
export interface JobsApi {
  /** Creates the job on behalf of `owner` (the pipeline's owner). */
  create(
    job: { name: string; kind: string; payload: string | null; idempotencyKey: string; owner: string },
    options: CallOptions,
  ): Promise<JobView>;
  get(id: number, options: CallOptions): Promise<JobView>;
  /** Cancels the job; a job that is already final is returned as it is. */
  cancel(id: number, options: CallOptions): Promise<JobView>;
  /**
   * Follows the job (WatchJob): `onJob` with its state now and after every
   * change; `onEnd` once the stream ends by itself (`final`: the job reached a
   * final state; otherwise it broke or its deadline passed). The returned
   * function stops watching (then `onEnd` is not called).
   */
  watch(
    id: number,
    onJob: (job: JobView) => void,
    onEnd: (final: boolean) => void,
    options: CallOptions & { deadline: Date },
  ): () => void;
  close(): void;
}

const toView = (job: Job__Output): JobView => ({
  id: Number(job.id),
  status: JobStatuses.fromWire(job.status),
  error: job.error,
  result: job.result,
});

/**
 * Calls through kit's ServiceClient (the one gRPC client of the repository):
 * deadline cut to the caller's, request id and trace context in metadata,
 * retries on UNAVAILABLE, client metrics. `tls`: the
 * mutual TLS settings (loadGrpcTls); undefined or null: plaintext. `logger`:
 * where losing and regaining the jobs service is told.
 */
export function createJobsClient(target: string, timeoutMs: number, tls?: GrpcTls | null, logger?: Logger): JobsApi {
  const client = new ServiceClient(SERVICE_NAMES.jobs, target, jobs.JobsService.service, { timeoutMs, tls, logger });
  return {
    async create(job, options) {
      return toView(
        await client.call(
          "CreateJob",
          {
            job_name: job.name,
            kind: job.kind,
            payload: job.payload ?? "",
            idempotency_key: job.idempotencyKey,
            owner: job.owner,
          },
          options,
        ),
      );
    },
    async get(id, options) {
      return toView(await client.call("GetJob", { id }, options));
    },
    async cancel(id, options) {
      try {
        return toView(await client.call("CancelJob", { id }, options));
      } catch (error) {
        if ((error as grpc.ServiceError).code !== grpc.status.FAILED_PRECONDITION) throw error;
        return toView(await client.call("GetJob", { id }, options));
      }
    },
    watch(id, onJob, onEnd, options) {
      let stopped = false;
      let final = false;
      const stream = client.stream("WatchJob", { id, owner: "" }, options, options.deadline);
      stream.on("data", (job: Job__Output) => {
        const view = toView(job);
        final = view.status !== undefined && FINAL_JOB_STATUSES.includes(view.status);
        if (!stopped) onJob(view);
      });
      // A non-OK status also arrives as "error"; "status" reports every ending once.
      stream.on("error", () => {});
      stream.on("status", () => {
        if (!stopped) onEnd(final);
        stopped = true;
      });
      return () => {
        stopped = true;
        stream.cancel();
      };
    },
    close: () => client.close(),
  };
}
