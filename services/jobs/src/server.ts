import { startGrpcServer, type Logger, type RunningGrpcServer, type ServiceConfig } from "@platform/kit";
import { jobs, SERVICE_NAMES } from "@platform/proto";
import { jobsHandlers } from "./handlers/jobsHandlers";
import type { JobRepository } from "./store/jobRepository";
import { MemoryJobRepository } from "./store/memoryJobRepository";

export const DEFAULT_PORT = 50052;

export function startJobsServer(
  config: Pick<ServiceConfig, "HOST" | "PORT" | "SHUTDOWN_TIMEOUT_MS" | "SHUTDOWN_DELAY_MS">,
  logger: Logger,
  repository: JobRepository = new MemoryJobRepository(),
): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    logger,
    services: [{ name: SERVICE_NAMES.jobs, definition: jobs.JobsService.service, implementation: jobsHandlers(repository, logger) }],
  });
}
