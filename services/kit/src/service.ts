// The whole life of a gRPC service process: configuration, logger, tracing,
// the metrics port, the server, and a shutdown in the right order (drain the
// server while metrics stay scrapeable, then stop metrics, then flush spans).
import { createLogger, type Logger } from "./logger";
import { collectProcessMetrics, startMetricsServer } from "./metrics";
import { runProcess } from "./process";
import type { RunningGrpcServer } from "./server";
import { loadServiceConfig, type ServiceConfig } from "./serviceConfig";
import { startTracing } from "./tracing";

export function runService(
  name: string,
  defaultPort: number,
  start: (config: Readonly<ServiceConfig>, logger: Logger) => Promise<RunningGrpcServer>,
): Promise<void> {
  return runProcess(name, async () => {
    const config = loadServiceConfig(defaultPort);
    const logger = createLogger(name, config.LOG_LEVEL);
    const tracing = await startTracing(name, config, logger);
    collectProcessMetrics();
    const metrics = startMetricsServer({ host: config.HOST, port: config.METRICS_PORT, logger });
    const server = await start(config, logger);
    return {
      logger,
      stoppable: {
        async shutdown() {
          await server.shutdown();
          await metrics.stop();
          await tracing.shutdown();
        },
      },
    };
  });
}
