// The UsersService methods: wire types in, domain calls, wire types out.
import { NotFoundError, parseId, parsePageRequest, toPage, toTimestamp, unary, type Logger } from "@platform/kit";
import type { UsersServiceHandlers, User as WireUser } from "@platform/proto";
import { validateNewUser, type User } from "../domain/user";
import type { UserRepository } from "../store/userRepository";

export function toWireUser(user: User): WireUser {
  return { id: String(user.id), name: user.name, email: user.email, created_at: toTimestamp(user.createdAt) };
}

export function usersHandlers(repository: UserRepository, logger: Logger): UsersServiceHandlers {
  return {
    CreateUser: unary("CreateUser", logger, async (request, ctx) => {
      const id = request.id === "0" ? undefined : parseId("id", request.id);
      const user = await repository.create(validateNewUser({ id, name: request.name, email: request.email }));
      ctx.logger.info({ userId: user.id }, "user created");
      return toWireUser(user);
    }),

    GetUser: unary("GetUser", logger, async (request) => {
      const id = parseId("id", request.id);
      const user = await repository.get(id);
      if (!user) throw new NotFoundError(`user ${id} not found`);
      return toWireUser(user);
    }),

    ListUsers: unary("ListUsers", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(await repository.listAfter(page), page.limit);
      return { users: items.map(toWireUser), next_page_token: nextPageToken };
    }),
  };
}
