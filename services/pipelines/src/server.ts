// The pipelines service, wired: its config, migrations and the parts it is made of.
import {
  retentionTasks,
  startGrpcService,
  type BackgroundTask,
  type Db,
  type GrpcService,
  type GrpcTls,
  type Logger,
  type RunningGrpcServer,
} from "@platform/kit";
import { pipelines, SERVICE_NAMES } from "@platform/proto";
import { createJobsClient } from "./clients/jobsClient";
import { loadPipelinesConfig, type PipelinesConfig } from "./config";
import { pipelinesHandlers } from "./handlers/pipelinesHandlers";
import { PIPELINES_MIGRATIONS } from "./store/migrations";
import { SqlPipelineRepository } from "./store/sqlPipelineRepository";
import { Orchestrator } from "./usecases/orchestrator";
import { PipelineChanges } from "./usecases/pipelineChanges";
import { pipelineMetrics } from "./usecases/pipelineMetrics";
import { PipelineService } from "./usecases/pipelineService";

export { DEFAULT_PORT } from "./config";
export const SERVICE = "pipelines";

export const pipelinesService: GrpcService<PipelinesConfig> = {
  name: SERVICE,
  config: loadPipelinesConfig,
  migrations: PIPELINES_MIGRATIONS,
  compose({ config, db, logger, tls }) {
    const changes = new PipelineChanges();
    const repository = changes.savesTold(new SqlPipelineRepository(db));
    const jobs = createJobsClient(config.JOBS_SERVICE_URL, config.JOBS_CALL_TIMEOUT_MS, tls, logger);
    const orchestrator = new Orchestrator(
      repository,
      jobs,
      logger.child({ module: "orchestrator" }),
      config.PIPELINES_POLL_MS,
      { leaseMs: config.PIPELINES_LEASE_MS },
    );
    // Resumes unfinished pipelines once serving; on shutdown the orchestrator stops before the client it uses closes.
    const tasks: BackgroundTask[] = [
      { name: "jobs client", stop: () => jobs.close() },
      { name: "orchestrator", start: () => orchestrator.start(), stop: () => orchestrator.stop() },
    ];
    tasks.push(
      ...retentionTasks({
        name: "pipelines",
        days: config.PIPELINES_RETENTION_DAYS,
        intervalMs: config.PIPELINES_RETENTION_INTERVAL_MS,
        deleteBatch: (cutoff, limit) => repository.deleteFinishedBefore(cutoff, limit),
        onDeleted: (count) => pipelineMetrics.retentionDeleted.inc(count),
        logger,
      }),
    );
    return {
      services: [
        {
          name: SERVICE_NAMES.pipelines,
          definition: pipelines.PipelinesService.service,
          implementation: pipelinesHandlers(
            new PipelineService(repository, orchestrator, {
              changes,
              // WatchPipeline's re-read for other replicas' saves: no slower than it was before the sweep slowed down.
              pollIntervalMs: Math.min(config.PIPELINES_POLL_MS, 1_000),
            }),
            logger,
          ),
        },
      ],
      tasks,
    };
  },
};

/** In-process (tests): brings `db`'s schema up to date, resumes unfinished pipelines, then serves; the caller closes `db`. */
export function startPipelinesServer(
  config: Partial<PipelinesConfig>,
  logger: Logger,
  db: Db,
  tls?: GrpcTls,
): Promise<RunningGrpcServer> {
  return startGrpcService(pipelinesService, { config, logger, db, tls });
}
