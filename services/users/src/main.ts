import { createLogger, loadServiceConfig, openServiceDatabase, runProcess } from "@platform/kit";
import { DEFAULT_PORT, SERVICE, startUsersServer } from "./server";

await runProcess("users", async () => {
  const config = loadServiceConfig(DEFAULT_PORT);
  const logger = createLogger("users", config.LOG_LEVEL);
  const db = openServiceDatabase(SERVICE, config);
  const server = await startUsersServer(config, logger, db);
  return {
    logger,
    stoppable: {
      async shutdown() {
        await server.shutdown();
        await db.close();
      },
    },
  };
});
