// Every setting the gateway reads, parsed once from the environment.
// The seed's variable names (JWT_*, *_SERVICE_URL) are a contract: keep them.
import {
  env,
  grpcTlsConfigShape,
  parseConfig,
  passwordHashingConfigShape,
  tracingConfigShape,
  type Env,
} from "@platform/kit";
import { hostname } from "node:os";
import { jwtClaimsConfigShape } from "./edgeContract";
import { isCidr } from "./security/clientAddress";
import { z } from "zod";

export const SUPPORTED_JWT_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;

/** Development-only defaults; production deployments set their own (k8s Secret jwt-secret). */
export const DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef";
export const DEV_ADMIN_PASSWORD = "secret";
/** RFC 7518 §3.2: an HMAC key at least as long as the hash output; 32 bytes for HS256. */
export const MIN_SECRET_BYTES = 32;

export { jwtClaimsConfigShape };

export const gatewayConfigSchema = z
  .object({
    PORT: env.port(8000),
    HOST: z.string().default("0.0.0.0"),
    LOG_LEVEL: env.logLevel(),

    JWT_SECRET_KEY: z.string().min(1).default(DEV_JWT_SECRET),
    JWT_ALGORITHM: z
      .string()
      .default("HS256")
      .pipe(z.enum(SUPPORTED_JWT_ALGORITHMS, { error: `must be one of ${SUPPORTED_JWT_ALGORITHMS.join(", ")}` })),
    JWT_EXPIRE_MINUTES: env.positiveInt(30),
    ...jwtClaimsConfigShape,

    ADMIN_USERNAME: z.string().min(1).default("admin"),
    ADMIN_PASSWORD: z.string().min(1).default(DEV_ADMIN_PASSWORD),
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: env.positiveInt(100),
    LOGIN_MAX_FAILURES_PER_USERNAME: env.positiveInt(10),
    LOGIN_THROTTLE_WINDOW_SECONDS: env.positiveInt(300),
    /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (1 behind Envoy). */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Peers whose X-Forwarded-For is believed at all (CIDRs); anyone else is taken at their socket address. */
    TRUSTED_PROXIES: z
      .string()
      .default("127.0.0.0/8,::1/128")
      .transform((value, ctx) => {
        const ranges = value
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean);
        for (const range of ranges) {
          if (!isCidr(range))
            ctx.addIssue({
              code: "custom",
              message: `not a CIDR range such as 10.0.0.0/8 or ::1/128 (got ${JSON.stringify(range)})`,
            });
        }
        return ranges;
      }),
    /** Comma-separated origins allowed to call the API from a browser; empty: CORS off. */
    CORS_ALLOWED_ORIGINS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ error: "must be a comma-separated list of origins such as https://app.example.com" }))),

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
    /** Connections idle this long (a slow client that never finishes its request) are closed. */
    HTTP_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(255).default(10),
    /** Names this replica in the x-served-by header, so traffic spread is visible. */
    GATEWAY_REPLICA_ID: z.string().default(hostname()),
    /** How long to keep serving (while /readyz fails) after SIGTERM, before draining. */
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
    SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),

    /** The admin password's argon2id checks at once (each holds 64 MiB). */
    ...passwordHashingConfigShape,
    ...tracingConfigShape,
    /** Mutual TLS towards the services (kit/grpcTls.ts); unset: plaintext. */
    ...grpcTlsConfigShape,

    /** With NODE_ENV=production, or this set to true, development secrets refuse to start. */
    NODE_ENV: z.string().default("development"),
    REQUIRE_STRONG_SECRETS: z.stringbool().optional(),
  })
  .superRefine((config, ctx) => {
    const strict = config.REQUIRE_STRONG_SECRETS ?? config.NODE_ENV === "production";
    if (!strict) return;
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (config.JWT_SECRET_KEY === DEV_JWT_SECRET)
      problem("JWT_SECRET_KEY", "must be set in production (the development default is public)");
    else if (Buffer.byteLength(config.JWT_SECRET_KEY) < MIN_SECRET_BYTES)
      problem("JWT_SECRET_KEY", `must be at least ${MIN_SECRET_BYTES} bytes in production`);
    if (config.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD)
      problem("ADMIN_PASSWORD", "must be set in production (the development default is public)");
  });

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function loadGatewayConfig(source: Env = process.env): Readonly<GatewayConfig> {
  return parseConfig(gatewayConfigSchema, source);
}
