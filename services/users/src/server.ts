import { startGrpcServer, type Logger, type RunningGrpcServer, type ServiceConfig } from "@platform/kit";
import { SERVICE_NAMES, users } from "@platform/proto";
import { usersHandlers } from "./handlers/usersHandlers";
import { MemoryUserRepository } from "./store/memoryUserRepository";
import type { UserRepository } from "./store/userRepository";

export const DEFAULT_PORT = 50051;

export function startUsersServer(
  config: Pick<ServiceConfig, "HOST" | "PORT" | "SHUTDOWN_TIMEOUT_MS" | "SHUTDOWN_DELAY_MS">,
  logger: Logger,
  repository: UserRepository = new MemoryUserRepository(),
): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    logger,
    services: [{ name: SERVICE_NAMES.users, definition: users.UsersService.service, implementation: usersHandlers(repository, logger) }],
  });
}
