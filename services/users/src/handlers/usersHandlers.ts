// The UsersService methods: wire types in, domain calls, wire types out.
import { NotFoundError, parseId, parsePageRequest, toPage, toTimestamp, unary, Violations, type Logger } from "@platform/kit";
import type { Role as WireRole, UsersServiceHandlers, User as WireUser } from "@platform/proto";
import { hashPassword, isPlausiblePassword, PASSWORD_MAX_LENGTH, type PasswordVerifier } from "../domain/credentials";
import { EMAIL_MAX_LENGTH, validateLoginEmail, validateNewUser, type Role, type User } from "../domain/user";
import { admit, addressKey, usernameKey, validateThrottleRequest } from "../domain/loginThrottle";
import type { LoginThrottleStore } from "../store/loginThrottleStore";
import type { UserRepository } from "../store/userRepository";

/** Expired login-throttle windows are deleted at most this often, by the next call after it. */
export const THROTTLE_PRUNE_INTERVAL_MS = 60_000;

const TO_WIRE_ROLE: Record<Role, WireRole> = { admin: "ROLE_ADMIN", user: "ROLE_USER", worker: "ROLE_WORKER" };
const FROM_WIRE_ROLE: Partial<Record<string, Role>> = { ROLE_ADMIN: "admin", ROLE_USER: "user", ROLE_WORKER: "worker" };

export function toWireUser(user: User): WireUser {
  return { id: String(user.id), name: user.name, email: user.email, created_at: toTimestamp(user.createdAt), roles: user.roles.map((r) => TO_WIRE_ROLE[r]) };
}

/** Wire roles as domain names; anything else (ROLE_UNSPECIFIED, unknown numbers) stays as is for the domain to refuse. */
const fromWireRoles = (roles: readonly (string | number)[]) => roles.map((r) => FROM_WIRE_ROLE[String(r)] ?? String(r));

export function usersHandlers(repository: UserRepository, verifier: PasswordVerifier, throttle: LoginThrottleStore, logger: Logger): UsersServiceHandlers {
  let prunedAt = 0;
  /** Opportunistic: one caller in a while deletes the expired windows, off the request's path. */
  const pruneNow = (now: number) => {
    if (now - prunedAt < THROTTLE_PRUNE_INTERVAL_MS) return;
    prunedAt = now;
    throttle
      .prune(now)
      .then((pruned) => logger.debug({ pruned }, "expired login-throttle windows deleted"))
      .catch((error: unknown) => logger.warn({ err: error }, "deleting expired login-throttle windows failed; retrying later"));
  };

  return {
    CreateUser: unary("CreateUser", logger, async (request, ctx) => {
      const id = request.id === "0" ? undefined : parseId("id", request.id);
      const { password, ...valid } = validateNewUser({ id, name: request.name, email: request.email, roles: fromWireRoles(request.roles), password: request.password });
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const user = await repository.create({ ...valid, passwordHash });
      ctx.logger.info({ userId: user.id, roles: user.roles, withPassword: passwordHash !== undefined }, "user created");
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

    // Every well-formed request runs exactly one argon2id verification, whether the
    // email exists or not, and the answer for a miss is the one for a wrong password.
    VerifyCredentials: unary("VerifyCredentials", logger, async (request, ctx) => {
      const problems = new Violations();
      if (!isPlausiblePassword(request.password)) problems.add("password", `must be 1 to ${PASSWORD_MAX_LENGTH} characters`);
      problems.throwIfAny();
      const email = validateLoginEmail(request.email);
      const found = await repository.findCredentials(email);
      const valid = await verifier.verify(request.password, found?.passwordHash);
      if (!valid || !found) {
        ctx.logger.debug("credentials refused");
        return { valid: false };
      }
      ctx.logger.debug({ userId: found.user.id }, "credentials verified");
      return { valid: true, user: toWireUser(found.user) };
    }),

    AdmitLogin: unary("AdmitLogin", logger, async (request, ctx) => {
      const limits = validateThrottleRequest({ username: request.username, address: request.address, limits: wireLimits(request.limits) });
      const now = Date.now();
      pruneNow(now);
      const attempts = await throttle.count(addressKey(request.address), now, limits.windowSeconds * 1000);
      const failures = await throttle.peek(usernameKey(request.username), now);
      const admission = admit(attempts, failures, now, limits);
      if (!admission.allowed) {
        ctx.logger.info({ retryAfterMs: admission.retryAfterMs }, "login throttled");
        return { allowed: false, retry_after_ms: String(admission.retryAfterMs) };
      }
      return { allowed: true, retry_after_ms: "0" };
    }),

    RecordLoginResult: unary("RecordLoginResult", logger, async (request) => {
      const limits = validateThrottleRequest({ username: request.username, limits: wireLimits(request.limits) });
      const key = usernameKey(request.username);
      if (request.succeeded) await throttle.clear(key);
      else await throttle.count(key, Date.now(), limits.windowSeconds * 1000);
      return {};
    }),
  };
}

const wireLimits = (limits: { max_attempts_per_address: number; max_failures_per_username: number; window_seconds: number } | null) =>
  limits && { maxAttemptsPerAddress: limits.max_attempts_per_address, maxFailuresPerUsername: limits.max_failures_per_username, windowSeconds: limits.window_seconds };
