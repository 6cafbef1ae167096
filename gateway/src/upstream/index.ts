import type { GrpcTls } from "@platform/kit";
import { jobs, pipelines, SERVICE_NAMES, users } from "@platform/proto";
import type { GatewayConfig } from "../config";
import { Upstream } from "./upstream";

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

/** `tls`: mutual TLS towards the services (loadGrpcTls); undefined: plaintext. */
export function createUpstreams(config: UpstreamConfig, tls?: GrpcTls) {
  const timeout = config.UPSTREAM_TIMEOUT_MS;
  const breaker = {
    failureThreshold: config.UPSTREAM_BREAKER_FAILURES,
    windowMs: config.UPSTREAM_BREAKER_WINDOW_MS,
    cooldownMs: config.UPSTREAM_BREAKER_COOLDOWN_MS,
  };
  return {
    users: new Upstream("users", SERVICE_NAMES.users, config.USER_SERVICE_URL, users.UsersService.service, timeout, breaker, tls),
    jobs: new Upstream("jobs", SERVICE_NAMES.jobs, config.JOBS_SERVICE_URL, jobs.JobsService.service, timeout, breaker, tls),
    pipelines: new Upstream("pipelines", SERVICE_NAMES.pipelines, config.PIPELINE_SERVICE_URL, pipelines.PipelinesService.service, timeout, breaker, tls),
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;
export { Upstream } from "./upstream";
