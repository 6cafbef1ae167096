// Every setting the gateway reads, parsed once from the environment.
// The seed's variable names (JWT_*, *_SERVICE_URL) are a contract: keep them.
import { env, parseConfig, tracingConfigShape, type Env } from "@platform/kit";
import { hostname } from "node:os";
import { z } from "zod";

export const SUPPORTED_JWT_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;

/** Development-only defaults; production deployments set their own (k8s Secret jwt-secret). */
export const DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef";

export const gatewayConfigSchema = z.object({
  PORT: env.port(8000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: env.logLevel(),

  JWT_SECRET_KEY: z.string().min(1).default(DEV_JWT_SECRET),
  JWT_ALGORITHM: z
    .string()
    .default("HS256")
    .pipe(z.enum(SUPPORTED_JWT_ALGORITHMS, { error: `must be one of ${SUPPORTED_JWT_ALGORITHMS.join(", ")}` })),
  JWT_EXPIRE_MINUTES: env.positiveInt(30),
  JWT_ISSUER: z.string().default("api-gateway"),
  JWT_AUDIENCE: z.string().default("microservices"),
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),

  ADMIN_USERNAME: z.string().min(1).default("admin"),
  ADMIN_PASSWORD: z.string().min(1).default("secret"),

  USER_SERVICE_URL: env.grpcTarget("localhost:50051"),
  JOBS_SERVICE_URL: env.grpcTarget("localhost:50052"),
  PIPELINE_SERVICE_URL: env.grpcTarget("localhost:50053"),
  UPSTREAM_TIMEOUT_MS: env.positiveInt(5_000),
  READINESS_TIMEOUT_MS: env.positiveInt(1_000),
  /** Consecutive UNAVAILABLE/DEADLINE_EXCEEDED answers (within the window) that open an upstream's circuit. */
  UPSTREAM_BREAKER_FAILURES: env.positiveInt(5),
  UPSTREAM_BREAKER_WINDOW_MS: env.positiveInt(10_000),
  /** How long an open circuit fails fast before one probe call is let through. */
  UPSTREAM_BREAKER_COOLDOWN_MS: env.positiveInt(5_000),

  MAX_BODY_BYTES: env.positiveInt(64 * 1024),
  /** Names this replica in the x-served-by header, so traffic spread is visible. */
  GATEWAY_REPLICA_ID: z.string().default(hostname()),
  /** How long to keep serving (while /readyz fails) after SIGTERM, before draining. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),

  ...tracingConfigShape,
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function loadGatewayConfig(source: Env = process.env): Readonly<GatewayConfig> {
  return parseConfig(gatewayConfigSchema, source);
}
