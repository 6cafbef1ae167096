import { migrate, startGrpcServer, type Db, type Logger, type RunningGrpcServer, type ServiceConfig } from "@platform/kit";
import { jobs, SERVICE_NAMES } from "@platform/proto";
import type { JobsConfig } from "./config";
import { jobsHandlers } from "./handlers/jobsHandlers";
import { JobService } from "./jobService";
import { JOBS_MIGRATIONS } from "./store/migrations";
import { SqlJobRepository } from "./store/sqlJobRepository";

export { DEFAULT_PORT } from "./config";
export const SERVICE = "jobs";

export type JobsServerConfig = Pick<ServiceConfig, "HOST" | "PORT" | "SHUTDOWN_TIMEOUT_MS" | "SHUTDOWN_DELAY_MS"> &
  Partial<Pick<JobsConfig, "JOBS_RETRY_BACKOFF_MS" | "JOBS_MAX_RETRY_BACKOFF_MS" | "JOBS_LEASE_SWEEP_MS" | "JOBS_WATCH_POLL_MS">>;

/** Brings the schema up to date, then serves. The caller owns `db` and closes it after shutdown. */
export async function startJobsServer(config: JobsServerConfig, logger: Logger, db: Db): Promise<RunningGrpcServer> {
  const applied = await migrate(db, SERVICE, JOBS_MIGRATIONS);
  logger.info({ database: db.location, applied }, "database ready");
  const service = new JobService(
    new SqlJobRepository(db),
    {
      retry: { baseBackoffMs: config.JOBS_RETRY_BACKOFF_MS ?? 1_000, maxBackoffMs: config.JOBS_MAX_RETRY_BACKOFF_MS ?? 5 * 60_000 },
      sweepIntervalMs: config.JOBS_LEASE_SWEEP_MS ?? 1_000,
    },
    logger,
  );
  const server = await startGrpcServer({
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    logger,
    services: [
      {
        name: SERVICE_NAMES.jobs,
        definition: jobs.JobsService.service,
        implementation: jobsHandlers(service, logger, { pollIntervalMs: config.JOBS_WATCH_POLL_MS ?? 1_000 }),
      },
    ],
  });
  service.start();
  return {
    port: server.port,
    async shutdown() {
      service.stop();
      await server.shutdown();
    },
  };
}
