// The settings every gRPC service reads, with the service's own default port.
import { z } from "zod";
import { env, parseConfig, type Env } from "./config";
import { openDatabase, type Db } from "./db/database";
import { grpcTlsConfigShape } from "./grpcTls";
import { DEFAULT_METRICS_PORT } from "./metrics";
import { tracingConfigShape } from "./tracing";

export function serviceConfigSchema(defaultPort: number) {
  return z.object({
    PORT: env.port(defaultPort),
    HOST: z.string().default("0.0.0.0"),
    LOG_LEVEL: env.logLevel(),
    SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
    METRICS_PORT: env.port(DEFAULT_METRICS_PORT),
    /** Plaintext grpc.health.v1-only port for probes that cannot do TLS; unset: none. */
    GRPC_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    ...tracingConfigShape,
    ...grpcTlsConfigShape,
    /** Unset: an SQLite file under DATA_DIR. postgres://… for PostgreSQL; sqlite:<path> for a given file. */
    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^(?:postgres(?:ql)?:\/\/.+|sqlite:.+)$/i, "must be a postgres://, postgresql:// or sqlite: URL")
      .optional(),
    DATA_DIR: z.string().default("./.data"),
    DATABASE_POOL_SIZE: env.positiveInt(10),
  });
}

export type ServiceConfig = z.output<ReturnType<typeof serviceConfigSchema>>;

export function loadServiceConfig(defaultPort: number, source: Env = process.env): Readonly<ServiceConfig> {
  return parseConfig(serviceConfigSchema(defaultPort), source);
}

export type DatabaseConfig = Pick<ServiceConfig, "DATABASE_URL" | "DATA_DIR" | "DATABASE_POOL_SIZE">;

/** The service's own database, as its configuration names it. */
export function openServiceDatabase(service: string, config: DatabaseConfig): Db {
  return openDatabase(service, {
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
}
