import { createLogger, openServiceDatabase, runProcess } from "@platform/kit";
import { loadPipelinesConfig } from "./config";
import { SERVICE, startPipelinesServer } from "./server";

await runProcess("pipelines", async () => {
  const config = loadPipelinesConfig();
  const logger = createLogger("pipelines", config.LOG_LEVEL);
  const db = openServiceDatabase(SERVICE, config);
  const server = await startPipelinesServer(config, logger, db);
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
