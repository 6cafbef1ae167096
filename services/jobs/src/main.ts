import { openServiceDatabase, runService } from "@platform/kit";
import { loadJobsConfig } from "./config";
import { SERVICE, startJobsServer } from "./server";

await runService("jobs", () => loadJobsConfig(), async (config, logger) => {
  const db = openServiceDatabase(SERVICE, config);
  const server = await startJobsServer(config, logger, db);
  return {
    async shutdown() {
      await server.shutdown();
      await db.close();
    },
  };
});
