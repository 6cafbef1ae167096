// The pipelines service's settings: the shared service settings plus its own.
import { env, parseConfig, serviceConfigSchema, type Env } from "@platform/kit";
import { z } from "zod";

export const DEFAULT_PORT = 50053;

export const pipelinesConfigSchema = serviceConfigSchema(DEFAULT_PORT).extend({
  JOBS_SERVICE_URL: env.grpcTarget("localhost:50052"),
  /** Deadline of each call to the jobs service. */
  JOBS_CALL_TIMEOUT_MS: env.positiveInt(5_000),
  /**
   * How often every active pipeline is reconciled anyway: a safety sweep. Pipelines move on step
   * completions at once (each running step job is watched); the sweep covers watches over the cap or broken.
   */
  PIPELINES_POLL_MS: env.positiveInt(5_000),
  /** How long a replica's hold on a pipeline lasts unless renewed: how long a dead replica's pipelines wait for another. */
  PIPELINES_LEASE_MS: env.positiveInt(15_000),
  /** SUCCEEDED, FAILED and CANCELLED pipelines with no step left running are deleted this many days after their last change; 0 keeps them forever. */
  PIPELINES_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  /** How often old finished pipelines are looked for (they go in batches of 500). */
  PIPELINES_RETENTION_INTERVAL_MS: env.positiveInt(10 * 60_000),
});

export type PipelinesConfig = z.output<typeof pipelinesConfigSchema>;

export function loadPipelinesConfig(source: Env = process.env): Readonly<PipelinesConfig> {
  return parseConfig(pipelinesConfigSchema, source);
}
