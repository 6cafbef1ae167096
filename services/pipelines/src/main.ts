import { runGrpcService } from "@platform/kit";
import { pipelinesService } from "./server";

await runGrpcService(pipelinesService);
