// The jobs service, wired: its config, migrations and the parts it is made of.
import {
  retentionTasks,
  startGrpcService,
  type BackgroundTask,
  type Db,
  type GrpcService,
  type Logger,
  type RunningGrpcServer,
} from "@platform/kit";
import { jobs, SERVICE_NAMES } from "@platform/proto";
import { loadJobsConfig, type JobsConfig } from "./config";
import { jobsHandlers } from "./handlers/jobsHandlers";
import { JOBS_MIGRATIONS } from "./store/migrations";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { scheduleHandlers } from "./handlers/scheduleHandlers";
import { SqlScheduleRepository } from "./store/scheduleRepository";
import { ScheduleService, Scheduler, SCHEDULER_DEFAULTS } from "./usecases/scheduler";
import { JobService } from "./usecases/jobService";
import {
  CachedStatusCounts,
  countingClaims,
  jobMetrics,
  metricsObserver,
  readQueueFrom,
} from "./usecases/queueMetrics";

export { DEFAULT_PORT } from "./config";
export const SERVICE = "jobs";

export const jobsService: GrpcService<JobsConfig> = {
  name: SERVICE,
  config: loadJobsConfig,
  migrations: JOBS_MIGRATIONS,
  compose({ config, db, logger }) {
    const repository = countingClaims(new SqlJobRepository(db));
    const service = new JobService(
      repository,
      {
        retry: { baseBackoffMs: config.JOBS_RETRY_BACKOFF_MS, maxBackoffMs: config.JOBS_MAX_RETRY_BACKOFF_MS },
        sweepIntervalMs: config.JOBS_LEASE_SWEEP_MS,
        observer: metricsObserver,
      },
      logger,
    );
    const queueCounts = new CachedStatusCounts(() => repository.countByKindAndStatus(), config.JOBS_STATS_CACHE_MS);
    const schedules = new SqlScheduleRepository(db);
    const scheduler = new Scheduler(schedules, service, SCHEDULER_DEFAULTS, logger.child({ module: "scheduler" }));
    let stopReadingQueue = () => {};
    const tasks: BackgroundTask[] = [
      { name: "lease sweeper and claim wake-ups", start: () => service.start(), stop: () => service.stop() },
      {
        name: "queue gauges",
        start: () => {
          stopReadingQueue = readQueueFrom(queueCounts);
        },
        stop: () => stopReadingQueue(),
      },
      { name: "scheduler", start: () => scheduler.start(), stop: () => scheduler.stop() },
    ];
    tasks.push(
      ...retentionTasks({
        name: "jobs",
        days: config.JOBS_RETENTION_DAYS,
        intervalMs: config.JOBS_RETENTION_INTERVAL_MS,
        deleteBatch: (cutoff, limit) => repository.deleteFinishedBefore(cutoff, limit),
        onDeleted: (count) => jobMetrics.retentionDeleted.inc(count),
        logger,
      }),
    );
    return {
      services: [
        {
          name: SERVICE_NAMES.jobs,
          definition: jobs.JobsService.service,
          implementation: {
            ...jobsHandlers(service, logger, { pollIntervalMs: config.JOBS_WATCH_POLL_MS }),
            ...scheduleHandlers(new ScheduleService(schedules), logger),
          },
        },
      ],
      tasks,
    };
  },
};

/** In-process (tests): brings `db`'s schema up to date, then serves; the caller closes `db` after shutdown. */
export function startJobsServer(config: Partial<JobsConfig>, logger: Logger, db: Db): Promise<RunningGrpcServer> {
  return startGrpcService(jobsService, { config, logger, db });
}
