// `bun run worker`: the reference worker process, a client of the jobs service's
// contract built on the worker SDK (index.ts) like any user's worker. Stops
// gracefully on SIGTERM. Like every process it exports metrics (and a /healthz
// liveness probe) on METRICS_PORT and traces when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// It imports kit's and the contracts' entries one by one (the jobs contract alone),
// not their indexes: the pod holds only what a worker uses (k8s/README.md, "Memory per pod").
import { loadGrpcTls } from "@platform/kit/grpcTls";
import { Lifecycle } from "@platform/kit/lifecycle";
import { createLogger } from "@platform/kit/logger";
import { collectProcessMetrics, startMetricsServer } from "@platform/kit/metrics";
import { runProcess } from "@platform/kit/process";
import { startTracing } from "@platform/kit/tracing";
import { loadWorkerConfig } from "./config";
import { handleBuiltInKinds } from "./kinds";
import { observabilityHooks } from "./observability";
import { createWorker } from "./worker";

await runProcess("worker", async () => {
  const config = loadWorkerConfig();
  const tls = loadGrpcTls(config);
  const logger = createLogger("worker", config.LOG_LEVEL);
  const tracing = await startTracing("jobs-worker", config, logger);
  collectProcessMetrics();
  const metrics = startMetricsServer({ host: config.HOST, port: config.METRICS_PORT, logger });
  const worker = createWorker({
    jobsServiceUrl: config.JOBS_SERVICE_URL,
    workerId: config.WORKER_ID,
    concurrency: config.WORKER_CONCURRENCY,
    leaseSeconds: config.WORKER_LEASE_SECONDS,
    pollIntervalMs: config.WORKER_POLL_MS,
    claimWaitMs: config.WORKER_CLAIM_WAIT_MS,
    callTimeoutMs: config.WORKER_CALL_TIMEOUT_MS,
    ackBatchSize: config.WORKER_ACK_BATCH_SIZE,
    ackLingerMs: config.WORKER_ACK_LINGER_MS,
    hooks: observabilityHooks(),
    tls,
    logger,
  });
  // The built-in kinds go through the SDK's public API, like any user's (see README.md).
  handleBuiltInKinds(worker).start();
  // Metrics stay scrapeable while running jobs finish; spans are flushed last.
  const lifecycle = new Lifecycle(logger)
    .onStop("worker", () => worker.stop(config.WORKER_SHUTDOWN_TIMEOUT_MS))
    .onStop("metrics", () => metrics.stop())
    .onStop("tracing", () => tracing.shutdown());
  return { logger, stoppable: lifecycle };
});
