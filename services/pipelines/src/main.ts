import { openServiceDatabase, runService } from "@platform/kit";
import { loadPipelinesConfig } from "./config";
import { SERVICE, startPipelinesServer } from "./server";

await runService("pipelines", () => loadPipelinesConfig(), async (config, logger) => {
  const db = openServiceDatabase(SERVICE, config);
  const server = await startPipelinesServer(config, logger, db);
  return {
    async shutdown() {
      await server.shutdown();
      await db.close();
    },
  };
});
