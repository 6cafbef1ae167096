import { runService } from "@platform/kit";
import { DEFAULT_PORT, startPipelinesServer } from "./server";

await runService("pipelines", DEFAULT_PORT, (config, logger) => startPipelinesServer(config, logger));
