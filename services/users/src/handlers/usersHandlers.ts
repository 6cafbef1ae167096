// The UsersService methods: wire types in, a use case call, wire types out.
import { parseId, parsePageRequest, toPage, toTimestamp, unary, type Logger } from "@platform/kit";
import { roleFromWire, roleToWire, type UsersServiceHandlers, type User as WireUser } from "@platform/proto";
import type { User } from "../domain/user";
import type { UserService } from "../usecases/userService";

export function toWireUser(user: User): WireUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    created_at: toTimestamp(user.createdAt),
    roles: user.roles.map(roleToWire),
  };
}

/** Wire roles as domain names; anything else (ROLE_UNSPECIFIED, unknown numbers) stays as is for the domain to refuse. */
const fromWireRoles = (roles: readonly (string | number)[]) => roles.map((r) => roleFromWire(r) ?? String(r));

const wireLimits = (
  limits: { max_attempts_per_address: number; max_failures_per_username: number; window_seconds: number } | null,
) =>
  limits && {
    maxAttemptsPerAddress: limits.max_attempts_per_address,
    maxFailuresPerUsername: limits.max_failures_per_username,
    windowSeconds: limits.window_seconds,
  };

export function usersHandlers(service: UserService, logger: Logger): UsersServiceHandlers {
  return {
    CreateUser: unary("CreateUser", logger, async (request, ctx) => {
      const id = request.id === "0" ? undefined : parseId("id", request.id);
      const user = await service.create(
        {
          id,
          name: request.name,
          email: request.email,
          roles: fromWireRoles(request.roles),
          password: request.password,
        },
        ctx.logger,
        // Only a hash can wait for its turn; without a password the call needs no signal (nor its AbortController).
        request.password === undefined ? undefined : ctx.signal,
      );
      return toWireUser(user);
    }),

    GetUser: unary("GetUser", logger, async (request) => toWireUser(await service.get(parseId("id", request.id)))),

    ListUsers: unary("ListUsers", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(await service.list(page), page.limit);
      return { users: items.map(toWireUser), next_page_token: nextPageToken };
    }),

    VerifyCredentials: unary("VerifyCredentials", logger, async (request, ctx) => {
      const user = await service.verifyCredentials(request.email, request.password, ctx.logger, ctx.signal);
      return user ? { valid: true, user: toWireUser(user) } : { valid: false };
    }),

    AdmitLogin: unary("AdmitLogin", logger, async (request, ctx) => {
      const admission = await service.admitLogin(
        { username: request.username, address: request.address, limits: wireLimits(request.limits) },
        ctx.logger,
      );
      return admission.allowed
        ? { allowed: true, retry_after_ms: 0 }
        : { allowed: false, retry_after_ms: admission.retryAfterMs };
    }),

    RecordLoginResult: unary("RecordLoginResult", logger, async (request) => {
      await service.recordLoginResult({
        username: request.username,
        succeeded: request.succeeded,
        limits: wireLimits(request.limits),
      });
      return {};
    }),
  };
}
