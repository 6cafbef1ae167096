import { runGrpcService } from "@platform/kit";
import { usersService } from "./server";

await runGrpcService(usersService);
