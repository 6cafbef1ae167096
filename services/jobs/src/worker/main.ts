// `bun run worker`: the reference worker process. Stops gracefully on SIGTERM.
import { configureGrpcTls, createLogger, parseConfig, runProcess } from "@platform/kit";
import { workerConfigSchema } from "./config";
import { BUILT_IN_KINDS } from "./kinds";
import { Worker } from "./worker";

await runProcess("worker", async () => {
  const config = parseConfig(workerConfigSchema);
  configureGrpcTls(config);
  const logger = createLogger("worker", config.LOG_LEVEL);
  const worker = new Worker(
    {
      jobsServiceUrl: config.JOBS_SERVICE_URL,
      workerId: config.WORKER_ID,
      kinds: BUILT_IN_KINDS,
      concurrency: config.WORKER_CONCURRENCY,
      leaseSeconds: config.WORKER_LEASE_SECONDS,
      pollIntervalMs: config.WORKER_POLL_MS,
      callTimeoutMs: config.WORKER_CALL_TIMEOUT_MS,
    },
    logger,
  );
  worker.start();
  return { logger, stoppable: { shutdown: () => worker.stop(config.WORKER_SHUTDOWN_TIMEOUT_MS) } };
});
