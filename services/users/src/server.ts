import { migrate, startGrpcServer, type Db, type Logger, type RunningGrpcServer, type ServiceConfig } from "@platform/kit";
import { SERVICE_NAMES, users } from "@platform/proto";
import { PasswordVerifier } from "./domain/credentials";
import { usersHandlers } from "./handlers/usersHandlers";
import { USERS_MIGRATIONS } from "./store/migrations";
import { LoginThrottleStore } from "./store/loginThrottleStore";
import { SqlUserRepository } from "./store/sqlUserRepository";

export const DEFAULT_PORT = 50051;
export const SERVICE = "users";

/** Brings the schema up to date, then serves. The caller owns `db` and closes it after shutdown. */
export async function startUsersServer(
  config: Pick<ServiceConfig, "HOST" | "PORT" | "SHUTDOWN_TIMEOUT_MS" | "SHUTDOWN_DELAY_MS">,
  logger: Logger,
  db: Db,
): Promise<RunningGrpcServer> {
  const applied = await migrate(db, SERVICE, USERS_MIGRATIONS);
  logger.info({ database: db.location, applied }, "database ready");
  const verifier = await PasswordVerifier.create();
  return startGrpcServer({
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    logger,
    services: [{ name: SERVICE_NAMES.users, definition: users.UsersService.service, implementation: usersHandlers(new SqlUserRepository(db), verifier, new LoginThrottleStore(db), logger) }],
  });
}
