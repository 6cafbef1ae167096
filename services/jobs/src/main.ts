import { createLogger, openServiceDatabase, runProcess } from "@platform/kit";
import { loadJobsConfig } from "./config";
import { SERVICE, startJobsServer } from "./server";

await runProcess("jobs", async () => {
  const config = loadJobsConfig();
  const logger = createLogger("jobs", config.LOG_LEVEL);
  const db = openServiceDatabase(SERVICE, config);
  const server = await startJobsServer(config, logger, db);
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
