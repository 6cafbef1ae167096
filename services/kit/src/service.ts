// The whole life of a gRPC service process: configuration, logger, tracing,
// the metrics port, the service itself, and a shutdown in the right order
// (drain the service while metrics stay scrapeable, then stop metrics, then
// flush spans).
import { configureGrpcTls } from "./grpcTls";
import { createLogger, type Logger } from "./logger";
import { collectProcessMetrics, startMetricsServer } from "./metrics";
import { runProcess, type Stoppable } from "./process";
import { configureGrpcHealthPort } from "./server";
import type { ServiceConfig } from "./serviceConfig";
import { startTracing } from "./tracing";

export function runService<Config extends ServiceConfig>(
  name: string,
  loadConfig: () => Readonly<Config>,
  start: (config: Readonly<Config>, logger: Logger) => Promise<Stoppable>,
): Promise<void> {
  return runProcess(name, async () => {
    const config = loadConfig();
    // Before anything binds or dials: every gRPC server and client of the process uses it.
    configureGrpcTls(config);
    configureGrpcHealthPort(config.GRPC_HEALTH_PORT);
    const logger = createLogger(name, config.LOG_LEVEL);
    const tracing = await startTracing(name, config, logger);
    collectProcessMetrics();
    const metrics = startMetricsServer({ host: config.HOST, port: config.METRICS_PORT, logger });
    const service = await start(config, logger);
    return {
      logger,
      stoppable: {
        async shutdown() {
          await service.shutdown();
          await metrics.stop();
          await tracing.shutdown();
        },
      },
    };
  });
}
