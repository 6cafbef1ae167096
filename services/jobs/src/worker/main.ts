// `bun run worker`: the reference worker process. Stops gracefully on SIGTERM.
import { createLogger, env, parseConfig, runProcess } from "@platform/kit";
import { hostname } from "node:os";
import { z } from "zod";
import { BUILT_IN_KINDS } from "./kinds";
import { Worker } from "./worker";

await runProcess("worker", async () => {
  const config = parseConfig(
    z.object({
      JOBS_SERVICE_URL: env.grpcTarget("localhost:50052"),
      WORKER_ID: z.string().min(1).max(200).default(`${hostname()}-${process.pid}`),
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
      WORKER_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
      WORKER_POLL_MS: env.positiveInt(500),
      WORKER_CALL_TIMEOUT_MS: env.positiveInt(5_000),
      /** How long running jobs get to finish after SIGTERM before they are released. */
      WORKER_SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
      LOG_LEVEL: env.logLevel(),
    }),
  );
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
