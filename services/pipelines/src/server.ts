import { startGrpcServer, type Logger, type RunningGrpcServer, type ServiceConfig } from "@platform/kit";
import { pipelines, SERVICE_NAMES } from "@platform/proto";
import { pipelinesHandlers } from "./handlers/pipelinesHandlers";
import type { PipelineRepository } from "./store/pipelineRepository";
import { MemoryPipelineRepository } from "./store/memoryPipelineRepository";

export const DEFAULT_PORT = 50053;

export function startPipelinesServer(
  config: Pick<ServiceConfig, "HOST" | "PORT" | "SHUTDOWN_TIMEOUT_MS" | "SHUTDOWN_DELAY_MS">,
  logger: Logger,
  repository: PipelineRepository = new MemoryPipelineRepository(),
): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    logger,
    services: [{ name: SERVICE_NAMES.pipelines, definition: pipelines.PipelinesService.service, implementation: pipelinesHandlers(repository, logger) }],
  });
}
