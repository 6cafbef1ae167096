import { migrate, startGrpcServer, type Db, type Logger, type RunningGrpcServer, type ServiceConfig } from "@platform/kit";
import { pipelines, SERVICE_NAMES } from "@platform/proto";
import type { PipelinesConfig } from "./config";
import { pipelinesHandlers } from "./handlers/pipelinesHandlers";
import { createJobsClient } from "./jobsClient";
import { Orchestrator } from "./orchestrator";
import { PIPELINES_MIGRATIONS } from "./store/migrations";
import { SqlPipelineRepository } from "./store/sqlPipelineRepository";

export { DEFAULT_PORT } from "./config";
export const SERVICE = "pipelines";

export type PipelinesServerConfig = Pick<ServiceConfig, "HOST" | "PORT" | "SHUTDOWN_TIMEOUT_MS" | "SHUTDOWN_DELAY_MS"> &
  Pick<PipelinesConfig, "JOBS_SERVICE_URL"> &
  Partial<Pick<PipelinesConfig, "JOBS_CALL_TIMEOUT_MS" | "PIPELINES_POLL_MS" | "PIPELINES_LEASE_MS">>;

/** Brings the schema up to date, resumes unfinished pipelines, then serves. The caller owns `db`. */
export async function startPipelinesServer(config: PipelinesServerConfig, logger: Logger, db: Db): Promise<RunningGrpcServer> {
  const applied = await migrate(db, SERVICE, PIPELINES_MIGRATIONS);
  logger.info({ database: db.location, applied }, "database ready");
  const repository = new SqlPipelineRepository(db);
  const jobs = createJobsClient(config.JOBS_SERVICE_URL, config.JOBS_CALL_TIMEOUT_MS ?? 5_000);
  const orchestrator = new Orchestrator(repository, jobs, logger.child({ module: "orchestrator" }), config.PIPELINES_POLL_MS ?? 1_000, {
    leaseMs: config.PIPELINES_LEASE_MS ?? 15_000,
  });
  const server = await startGrpcServer({
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    logger,
    services: [{ name: SERVICE_NAMES.pipelines, definition: pipelines.PipelinesService.service, implementation: pipelinesHandlers(repository, orchestrator, logger) }],
  });
  orchestrator.start();
  return {
    port: server.port,
    async shutdown() {
      await server.shutdown();
      await orchestrator.stop();
      jobs.close();
    },
  };
}
