import { runService } from "@platform/kit";
import { DEFAULT_PORT, startJobsServer } from "./server";

await runService("jobs", DEFAULT_PORT, (config, logger) => startJobsServer(config, logger));
