// The reference worker's settings.
import { env, parseConfig, type Env } from "@platform/kit/config";
import { grpcTlsConfigShape } from "@platform/kit/grpcTls";
import { DEFAULT_METRICS_PORT } from "@platform/kit/metrics";
import { tracingConfigShape } from "@platform/kit/tracing";
import { CLAIM_WAIT_MS_MAX, MAX_COMPLETE_JOBS } from "@platform/proto/rules";
import { hostname } from "node:os";
import { z } from "zod";

export const workerConfigSchema = z.object({
  JOBS_SERVICE_URL: env.grpcTarget("localhost:50052"),
  WORKER_ID: z.string().min(1).max(200).default(`${hostname()}-${process.pid}`),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How long a claim waits on the jobs service for a job (a long poll); the worker starts it the moment it is ready. */
  WORKER_CLAIM_WAIT_MS: z.coerce.number().int().min(0).max(CLAIM_WAIT_MS_MAX).default(20_000),
  /** The backoff after a failed claim (and the poll interval when WORKER_CLAIM_WAIT_MS is 0). */
  WORKER_POLL_MS: env.positiveInt(500),
  /** Outcomes reported in one CompleteJobs call at most (1: one CompleteJob or FailJob per job). */
  WORKER_ACK_BATCH_SIZE: z.coerce.number().int().min(1).max(MAX_COMPLETE_JOBS).default(100),
  /** How long a finished job's outcome waits for others before its batch goes (0: at once). */
  WORKER_ACK_LINGER_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  WORKER_CALL_TIMEOUT_MS: env.positiveInt(5_000),
  /** How long running jobs get to finish after SIGTERM before they are released. */
  WORKER_SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
  LOG_LEVEL: env.logLevel(),
  /** Where /metrics and the /healthz liveness probe are served, like every service's metrics port. */
  HOST: z.string().default("0.0.0.0"),
  METRICS_PORT: env.port(DEFAULT_METRICS_PORT),
  ...tracingConfigShape,
  ...grpcTlsConfigShape,
});

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export function loadWorkerConfig(source: Env = process.env): Readonly<WorkerConfig> {
  return parseConfig(workerConfigSchema, source);
}
