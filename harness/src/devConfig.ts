// The settings `bun run dev` reads (see scripts/dev.ts).
import { z } from "zod";
import { edgeSettingsShape } from "../../envoy/settings";

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const devConfigSchema = z.object({
  GATEWAY_REPLICAS: z.coerce.number().int().min(1).max(16).default(2),
  GATEWAY_PORT: port(8000),
  USERS_PORT: port(50051),
  JOBS_PORT: port(50052),
  PIPELINES_PORT: port(50053),
  USERS_METRICS_PORT: port(9464),
  JOBS_METRICS_PORT: port(9465),
  PIPELINES_METRICS_PORT: port(9466),
  /** Reference workers that run the jobs (0: none). */
  WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  /** Run Envoy in front of the gateway replicas, as in Kubernetes. */
  EDGE: z.stringbool().default(true),
  EDGE_PORT: port(8080),
  EDGE_READY_PORT: port(8081),
  EDGE_ADMIN_PORT: port(9901),
  /** The edge's limits: the same variables `bun run envoy:render` reads for Kubernetes. */
  ...edgeSettingsShape,
  LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
});
