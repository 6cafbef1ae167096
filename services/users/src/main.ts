import { createLogger, loadServiceConfig, runProcess } from "@platform/kit";
import { DEFAULT_PORT, startUsersServer } from "./server";

await runProcess("users", async () => {
  const config = loadServiceConfig(DEFAULT_PORT);
  const logger = createLogger("users", config.LOG_LEVEL);
  return { logger, stoppable: await startUsersServer(config, logger) };
});
