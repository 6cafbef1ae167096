import { runService } from "@platform/kit";
import { DEFAULT_PORT, startUsersServer } from "./server";

await runService("users", DEFAULT_PORT, (config, logger) => startUsersServer(config, logger));
