import { createLogger, loadServiceConfig, runProcess } from "@platform/kit";
import { DEFAULT_PORT, startPipelinesServer } from "./server";

await runProcess("pipelines", async () => {
  const config = loadServiceConfig(DEFAULT_PORT);
  const logger = createLogger("pipelines", config.LOG_LEVEL);
  return { logger, stoppable: await startPipelinesServer(config, logger) };
});
