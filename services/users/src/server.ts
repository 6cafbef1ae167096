// The users service, wired: its config, migrations and the parts it is made of.
import {
  PasswordHasher,
  startGrpcService,
  type Db,
  type GrpcService,
  type Logger,
  type RunningGrpcServer,
} from "@platform/kit";
import { SERVICE_NAMES, users } from "@platform/proto";
import { loadUsersConfig, type UsersConfig } from "./config";
import { Passwords } from "./domain/credentials";
import { usersHandlers } from "./handlers/usersHandlers";
import { LoginThrottleStore } from "./store/loginThrottleStore";
import { USERS_MIGRATIONS } from "./store/migrations";
import { SqlUserRepository } from "./store/sqlUserRepository";
import { UserService } from "./usecases/userService";

export { DEFAULT_PORT } from "./config";
export const SERVICE = "users";

export const usersService: GrpcService<UsersConfig> = {
  name: SERVICE,
  config: loadUsersConfig,
  migrations: USERS_MIGRATIONS,
  async compose({ config, db, logger }) {
    const service = new UserService(
      new SqlUserRepository(db),
      new Passwords(new PasswordHasher(config.PASSWORD_HASH_CONCURRENCY)),
      new LoginThrottleStore(db),
      logger,
    );
    return {
      services: [
        {
          name: SERVICE_NAMES.users,
          definition: users.UsersService.service,
          implementation: usersHandlers(service, logger),
        },
      ],
    };
  },
};

/** In-process (tests): brings `db`'s schema up to date, then serves; the caller closes `db` after shutdown. */
export function startUsersServer(config: Partial<UsersConfig>, logger: Logger, db: Db): Promise<RunningGrpcServer> {
  return startGrpcService(usersService, { config, logger, db });
}
