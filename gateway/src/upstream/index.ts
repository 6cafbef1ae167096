import type * as grpc from "@grpc/grpc-js";
import type { MethodName, RequestOf, ResponseOf } from "@platform/kit";
import type { GrpcTls, Logger } from "@platform/kit";
import { jobs, pipelines, SERVICE_NAMES, users } from "@platform/proto";
import type { GatewayConfig } from "../config";
import type { CircuitState } from "./circuitBreaker";
import { Upstream, type CallContext } from "./upstream";

type UpstreamConfig = Pick<
  GatewayConfig,
  | "USER_SERVICE_URL"
  | "JOBS_SERVICE_URL"
  | "PIPELINE_SERVICE_URL"
  | "UPSTREAM_TIMEOUT_MS"
  | "UPSTREAM_BREAKER_FAILURES"
  | "UPSTREAM_BREAKER_WINDOW_MS"
  | "UPSTREAM_BREAKER_COOLDOWN_MS"
>;

/**
 * What plugins and modules see of one upstream service: the real one is an
 * Upstream (gRPC channel behind a circuit breaker); tests use stubUpstreams.
 */
export interface UpstreamClient<Service extends grpc.ServiceDefinition> {
  readonly name: string;
  readonly breaker: { readonly state: CircuitState };
  /** A unary call; a failure rejects with the HttpProblem the client should see. */
  call<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    ctx: CallContext,
  ): Promise<ResponseOf<Service[K]>>;
  /** A server-streaming call: `data` events, then `end`, or `error` carrying the gRPC status. */
  stream<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    ctx: CallContext & { deadlineMs: number },
  ): grpc.ClientReadableStream<ResponseOf<Service[K]>>;
  /** The upstream's own grpc.health.v1 answer: "SERVING" when it can take calls. */
  checkHealth(timeoutMs: number): Promise<string>;
  close(): void;
}

export interface Upstreams {
  users: UpstreamClient<typeof users.UsersService.service>;
  jobs: UpstreamClient<typeof jobs.JobsService.service>;
  pipelines: UpstreamClient<typeof pipelines.PipelinesService.service>;
}

/**
 * `tls`: mutual TLS towards the services (loadGrpcTls; undefined: plaintext);
 * `logger`: where an upstream that stops answering, and answers again, is told.
 */
export function createUpstreams(config: UpstreamConfig, tls?: GrpcTls, logger?: Logger): Upstreams {
  const timeout = config.UPSTREAM_TIMEOUT_MS;
  const breaker = {
    failureThreshold: config.UPSTREAM_BREAKER_FAILURES,
    windowMs: config.UPSTREAM_BREAKER_WINDOW_MS,
    cooldownMs: config.UPSTREAM_BREAKER_COOLDOWN_MS,
  };
  return {
    users: new Upstream(
      "users",
      SERVICE_NAMES.users,
      config.USER_SERVICE_URL,
      users.UsersService.service,
      timeout,
      breaker,
      { tls, logger },
    ),
    jobs: new Upstream(
      "jobs",
      SERVICE_NAMES.jobs,
      config.JOBS_SERVICE_URL,
      jobs.JobsService.service,
      timeout,
      breaker,
      { tls, logger },
    ),
    pipelines: new Upstream(
      "pipelines",
      SERVICE_NAMES.pipelines,
      config.PIPELINE_SERVICE_URL,
      pipelines.PipelinesService.service,
      timeout,
      breaker,
      { tls, logger },
    ),
  };
}

export { Upstream } from "./upstream";
