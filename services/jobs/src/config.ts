// The jobs service's settings: the shared service settings plus its own.
import { env, parseConfig, serviceConfigSchema, type Env } from "@platform/kit";
import { z } from "zod";

export const DEFAULT_PORT = 50052;

export const jobsConfigSchema = serviceConfigSchema(DEFAULT_PORT).extend({
  /** The wait before a failed job's first retry; it doubles with each attempt. */
  JOBS_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(1_000),
  JOBS_MAX_RETRY_BACKOFF_MS: env.positiveInt(5 * 60_000),
  /** How often expired leases go back to PENDING (a job returned wakes a waiting claim at once). */
  JOBS_LEASE_SWEEP_MS: env.positiveInt(1_000),
  /** How often WatchJob re-reads a job anyway; other replicas' changes also wake it at once on PostgreSQL (LISTEN/NOTIFY). */
  JOBS_WATCH_POLL_MS: env.positiveInt(1_000),
  /** SUCCEEDED, FAILED and CANCELLED jobs are deleted this many days after they finished; 0 keeps them forever. */
  JOBS_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  /** How often old finished jobs are looked for (they go in batches of 500). */
  JOBS_RETENTION_INTERVAL_MS: env.positiveInt(10 * 60_000),
  /** How long the queue gauges' counts are reused between scrapes, so scrapes cannot hammer the database. */
  JOBS_STATS_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
});

export type JobsConfig = z.output<typeof jobsConfigSchema>;

export function loadJobsConfig(source: Env = process.env): Readonly<JobsConfig> {
  return parseConfig(jobsConfigSchema, source);
}
