import { loadServiceConfig, openServiceDatabase, runService } from "@platform/kit";
import { DEFAULT_PORT, SERVICE, startUsersServer } from "./server";

await runService("users", () => loadServiceConfig(DEFAULT_PORT), async (config, logger) => {
  const db = openServiceDatabase(SERVICE, config);
  const server = await startUsersServer(config, logger, db);
  return {
    async shutdown() {
      await server.shutdown();
      await db.close();
    },
  };
});
