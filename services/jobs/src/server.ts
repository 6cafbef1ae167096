// The jobs service, wired: its config, migrations and the parts it is made of.
import { startGrpcService, type Db, type GrpcService, type Logger, type RunningGrpcServer } from "@platform/kit";
import { jobs, SERVICE_NAMES } from "@platform/proto";
import { loadJobsConfig, type JobsConfig } from "./config";
import { jobsHandlers } from "./handlers/jobsHandlers";
import { JOBS_MIGRATIONS } from "./store/migrations";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { JobService } from "./usecases/jobService";

export { DEFAULT_PORT } from "./config";
export const SERVICE = "jobs";

export const jobsService: GrpcService<JobsConfig> = {
  name: SERVICE,
  config: loadJobsConfig,
  migrations: JOBS_MIGRATIONS,
  compose({ config, db, logger }) {
    const service = new JobService(
      new SqlJobRepository(db),
      {
        retry: { baseBackoffMs: config.JOBS_RETRY_BACKOFF_MS, maxBackoffMs: config.JOBS_MAX_RETRY_BACKOFF_MS },
        sweepIntervalMs: config.JOBS_LEASE_SWEEP_MS,
      },
      logger,
    );
    return {
      services: [
        {
          name: SERVICE_NAMES.jobs,
          definition: jobs.JobsService.service,
          implementation: jobsHandlers(service, logger, { pollIntervalMs: config.JOBS_WATCH_POLL_MS }),
        },
      ],
      tasks: [{ name: "lease sweeper and claim wake-ups", start: () => service.start(), stop: () => service.stop() }],
    };
  },
};

/** In-process (tests): brings `db`'s schema up to date, then serves; the caller closes `db` after shutdown. */
export function startJobsServer(config: Partial<JobsConfig>, logger: Logger, db: Db): Promise<RunningGrpcServer> {
  return startGrpcService(jobsService, { config, logger, db });
}
