// The pipelines service's client of the jobs service: every call has a
// deadline (the caller's, when sooner) and carries the request id it serves.
import * as grpc from "@grpc/grpc-js";
import { grpcClientTransport, REQUEST_ID_HEADER, type GrpcTls } from "@platform/kit";
import { jobs, SERVICE_NAMES, type Job__Output } from "@platform/proto";

export interface JobView {
  id: number;
  /** Without the JOB_STATUS_ prefix: PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED. */
  status: string;
  error: string;
}

export interface CallOptions {
  requestId: string;
  /** The deadline of the call being served, if any: never wait past it. */
  deadline?: Date | undefined;
}

/** What orchestration needs from the jobs service. */
export interface JobsApi {
  create(job: { name: string; kind: string; payload: string | null; idempotencyKey: string }, options: CallOptions): Promise<JobView>;
  get(id: number, options: CallOptions): Promise<JobView>;
  /** Cancels the job; a job that is already final is returned as it is. */
  cancel(id: number, options: CallOptions): Promise<JobView>;
  close(): void;
}

const toView = (job: Job__Output): JobView => ({ id: Number(job.id), status: job.status.replace(/^JOB_STATUS_/, ""), error: job.error });

/** `tls`: undefined uses the process's mutual TLS settings (configureGrpcTls), null forces plaintext. */
export function createJobsClient(target: string, timeoutMs: number, tls?: GrpcTls | null): JobsApi {
  const transport = grpcClientTransport(target, tls);
  const client = new jobs.JobsService(target, transport.credentials, {
    ...transport.options,
    "grpc.service_config": JSON.stringify({
      methodConfig: [
        {
          name: [{ service: SERVICE_NAMES.jobs }],
          retryPolicy: { maxAttempts: 3, initialBackoff: "0.1s", maxBackoff: "1s", backoffMultiplier: 2, retryableStatusCodes: ["UNAVAILABLE"] },
        },
      ],
    }),
    "grpc.enable_retries": 1,
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 2_000,
  });

  const unary = <Req>(method: "CreateJob" | "GetJob" | "CancelJob", request: Req, options: CallOptions) => {
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_HEADER, options.requestId);
    const own = Date.now() + timeoutMs;
    const deadline = options.deadline ? Math.min(own, options.deadline.getTime()) : own;
    return new Promise<Job__Output>((resolve, reject) =>
      (client[method] as unknown as (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Job__Output) => void) => void).call(
        client,
        request,
        metadata,
        { deadline },
        (error, response) => (error ? reject(error) : resolve(response!)),
      ),
    );
  };

  return {
    async create(job, options) {
      return toView(await unary("CreateJob", { job_name: job.name, kind: job.kind, payload: job.payload ?? "", idempotency_key: job.idempotencyKey }, options));
    },
    async get(id, options) {
      return toView(await unary("GetJob", { id: String(id) }, options));
    },
    async cancel(id, options) {
      try {
        return toView(await unary("CancelJob", { id: String(id) }, options));
      } catch (error) {
        if ((error as grpc.ServiceError).code !== grpc.status.FAILED_PRECONDITION) throw error;
        return toView(await unary("GetJob", { id: String(id) }, options));
      }
    },
    close: () => client.close(),
  };
}
