import { createLogger, loadServiceConfig, runProcess } from "@platform/kit";
import { DEFAULT_PORT, startJobsServer } from "./server";

await runProcess("jobs", async () => {
  const config = loadServiceConfig(DEFAULT_PORT);
  const logger = createLogger("jobs", config.LOG_LEVEL);
  return { logger, stoppable: await startJobsServer(config, logger) };
});
