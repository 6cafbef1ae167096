import { jobs, pipelines, SERVICE_NAMES, users } from "@platform/proto";
import type { GatewayConfig } from "../config";
import { Upstream } from "./upstream";

export function createUpstreams(config: Pick<GatewayConfig, "USER_SERVICE_URL" | "JOBS_SERVICE_URL" | "PIPELINE_SERVICE_URL" | "UPSTREAM_TIMEOUT_MS">) {
  const timeout = config.UPSTREAM_TIMEOUT_MS;
  return {
    users: new Upstream("users", SERVICE_NAMES.users, config.USER_SERVICE_URL, users.UsersService.service, timeout),
    jobs: new Upstream("jobs", SERVICE_NAMES.jobs, config.JOBS_SERVICE_URL, jobs.JobsService.service, timeout),
    pipelines: new Upstream("pipelines", SERVICE_NAMES.pipelines, config.PIPELINE_SERVICE_URL, pipelines.PipelinesService.service, timeout),
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;
export { Upstream } from "./upstream";
