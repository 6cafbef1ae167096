// The edge settings an operator sizes, in one place: `bun run dev` (scripts/dev.ts,
// through devConfigSchema) and `bun run envoy:render` (the k8s rendering) read
// the same variables, so both targets ship the same limits. The JWT claims Envoy
// checks come from the gateway's own schema (one source for iss/aud/skew).
import { parseConfig, type Env } from "@platform/kit/config";
import { z } from "zod";
import { jwtClaimsConfigShape } from "../gateway/src/edgeContract";
import type { EdgeRateLimit } from "./options";

/**
 * Envoy's worker threads, in `bun run dev` (harness) and in k8s (the deployment's --concurrency, checked by
 * tests/deploy): one per CPU of the pod's limit. A second worker on one CPU only adds wake-ups and a second
 * upstream pool (bench/README.md, the edge's cost).
 */
export const ENVOY_WORKERS = 1;

export const edgeSettingsShape = {
  /** Per-client requests per second at the edge; 0 (the default): no edge rate limit. */
  EDGE_RATE_LIMIT_PER_CLIENT_RPS: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Burst above that rate; unset: twice the rate. */
  EDGE_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000_000).optional(),
  /** How many clients get their own bucket at once (least recently seen are forgotten beyond). */
  EDGE_RATE_LIMIT_MAX_CLIENTS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Proxies in front of Envoy (a cloud load balancer) whose X-Forwarded-For entry names the client. */
  EDGE_TRUSTED_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Which requests the edge's access log has: "failures" (the default: failed or cut-short requests and
   * gRPC calls; the gateway replica that served a request logs it) or "all".
   */
  EDGE_ACCESS_LOG: z.enum(["failures", "all"]).default("failures"),
};

export const edgeSettingsSchema = z.object({ ...edgeSettingsShape, ...jwtClaimsConfigShape });
export type EdgeSettings = z.output<typeof edgeSettingsSchema>;

/** The edge settings from an environment (process.env by default); defaults for everything unset. */
export function loadEdgeSettings(source: Env = process.env): Readonly<EdgeSettings> {
  return parseConfig(edgeSettingsSchema, source);
}

/** The shipped defaults (what the committed k8s rendering is made from). */
export const DEFAULT_EDGE_SETTINGS: Readonly<EdgeSettings> = loadEdgeSettings({});

/** The rate limit a rendering gets from the settings; null: none. */
export function edgeRateLimit(
  settings: Pick<
    EdgeSettings,
    "EDGE_RATE_LIMIT_PER_CLIENT_RPS" | "EDGE_RATE_LIMIT_BURST" | "EDGE_RATE_LIMIT_MAX_CLIENTS"
  >,
): EdgeRateLimit | null {
  const rps = settings.EDGE_RATE_LIMIT_PER_CLIENT_RPS;
  if (rps === 0) return null;
  return {
    requestsPerSecond: rps,
    burst: Math.max(rps, settings.EDGE_RATE_LIMIT_BURST ?? rps * 2),
    maxClients: settings.EDGE_RATE_LIMIT_MAX_CLIENTS,
  };
}
