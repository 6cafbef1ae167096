import { runGrpcService } from "@platform/kit";
import { jobsService } from "./server";

await runGrpcService(jobsService);
