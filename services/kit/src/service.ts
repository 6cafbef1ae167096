// The one way a gRPC service starts and stops. A service describes itself (a
// name, its config loader, its migrations, and how to compose its handlers and
// background tasks from their dependencies); runGrpcService does the rest, the
// same for every service: configuration, logger, tracing, the metrics port, the
// database opened and migrated, the gRPC server with health and reflection, the
// background tasks, and a shutdown in the right order (drain the server while
// metrics stay scrapeable, stop the tasks, close the database, stop metrics,
// flush spans). startGrpcService is the in-process half, for tests: an injected
// database, no process concerns.
import type { Env } from "./config";
import type { Db } from "./db/database";
import { migrate, type Migration } from "./db/migrate";
import { loadGrpcTls, type GrpcTls } from "./grpcTls";
import { Lifecycle } from "./lifecycle";
import { createLogger, type Logger } from "./logger";
import { collectProcessMetrics, startMetricsServer } from "./metrics";
import { runProcess } from "./process";
import { startGrpcServer, type RunningGrpcServer, type ServiceBinding } from "./server";
import { openServiceDatabase, type ServiceConfig } from "./serviceConfig";
import { startTracing } from "./tracing";

/** What a service's compose function gets. */
export interface GrpcServiceDeps<Config extends ServiceConfig> {
  config: Readonly<Config>;
  logger: Logger;
  /** Migrated to the service's latest schema. */
  db: Db;
  /** Mutual TLS material for the clients the service makes; undefined: plaintext. */
  tls: GrpcTls | undefined;
}

/** Work a service does besides answering calls (the jobs lease sweeper, the pipelines orchestrator). */
export interface BackgroundTask {
  name: string;
  /** Called once the server listens (awaited, in order); none: only stop matters (e.g. closing a client). */
  start?(): void | Promise<void>;
  stop(): unknown;
}

export interface ServiceParts {
  services: readonly ServiceBinding[];
  /** Started in order after the server listens; stopped in reverse order after it drained. */
  tasks?: readonly BackgroundTask[];
}

export interface GrpcService<Config extends ServiceConfig> {
  /** The process, logger, tracing and database name: "users". */
  name: string;
  /** Parses the service's settings; with `{}` it yields every default (tests start from those). */
  config: (source?: Env) => Readonly<Config>;
  migrations: readonly Migration[];
  compose(deps: GrpcServiceDeps<Config>): ServiceParts | Promise<ServiceParts>;
}

export interface StartGrpcServiceOptions<Config extends ServiceConfig> {
  /** Laid over the service's defaults (tests: host, port 0, short intervals). */
  config: Partial<Config>;
  logger: Logger;
  /** The caller's: it closes it after shutdown. */
  db: Db;
  tls?: GrpcTls | undefined;
}

/** Migrates `db`, composes the service, serves it and starts its tasks; shutdown drains, then stops the tasks. */
export async function startGrpcService<Config extends ServiceConfig>(
  service: GrpcService<Config>,
  options: StartGrpcServiceOptions<Config>,
): Promise<RunningGrpcServer> {
  const config: Readonly<Config> = { ...service.config({}), ...options.config };
  const { logger, db, tls } = options;
  const applied = await migrate(db, service.name, service.migrations);
  logger.info({ database: db.location, applied }, "database ready");
  const parts = await service.compose({ config, logger, db, tls });
  const tasks = parts.tasks ?? [];
  let server: RunningGrpcServer;
  try {
    server = await startGrpcServer({
      host: config.HOST,
      port: config.PORT,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
      healthPort: config.GRPC_HEALTH_PORT,
      tls,
      logger,
      services: parts.services,
    });
  } catch (error) {
    for (const task of [...tasks].reverse()) await task.stop();
    throw error;
  }
  const lifecycle = new Lifecycle(logger).onStop("gRPC server", () => server.shutdown());
  for (const task of [...tasks].reverse()) lifecycle.onStop(task.name, () => task.stop());
  try {
    for (const task of tasks) await task.start?.();
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
  return { port: server.port, healthPort: server.healthPort, shutdown: () => lifecycle.shutdown() };
}

/** The whole life of a service process; every service's main.ts is one call of this. */
export function runGrpcService<Config extends ServiceConfig>(service: GrpcService<Config>): Promise<void> {
  return runProcess(service.name, async () => {
    const config = service.config();
    const tls = loadGrpcTls(config);
    const logger = createLogger(service.name, config.LOG_LEVEL);
    const tracing = await startTracing(service.name, config, logger);
    collectProcessMetrics();
    const metrics = startMetricsServer({ host: config.HOST, port: config.METRICS_PORT, logger });
    const db = openServiceDatabase(service.name, config);
    const server = await startGrpcService(service, { config, logger, db, tls });
    const lifecycle = new Lifecycle(logger)
      .onStop("service", () => server.shutdown())
      .onStop("database", () => db.close())
      .onStop("metrics", () => metrics.stop())
      .onStop("tracing", () => tracing.shutdown());
    return { logger, stoppable: lifecycle };
  });
}
