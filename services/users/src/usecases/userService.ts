// The users use cases: create and read users, check credentials, and keep the
// login throttle's windows. Validation and rules come from domain/, storage
// from store/; no wire types here.
import { NotFoundError, Violations, type Logger, type PageRequest } from "@platform/kit";
import { isPlausiblePassword, PASSWORD_MAX_LENGTH, type Passwords } from "../domain/credentials";
import {
  admit,
  addressKey,
  usernameKey,
  validateThrottleRequest,
  type Admission,
  type LoginThrottleLimits,
} from "../domain/loginThrottle";
import { validateLoginEmail, validateNewUser, type NewUser, type User } from "../domain/user";
import type { LoginThrottleStore } from "../store/loginThrottleStore";
import type { UserRepository } from "../store/userRepository";

/** Expired login-throttle windows are deleted at most this often, by the next call after it. */
export const THROTTLE_PRUNE_INTERVAL_MS = 60_000;

export class UserService {
  private prunedAt = 0;

  constructor(
    private readonly repository: UserRepository,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottleStore,
    private readonly logger: Logger,
  ) {}

  /** Validates, hashes the password (if any) and stores the user. `signal`: the caller has gone. */
  async create(input: NewUser, logger: Logger = this.logger, signal?: AbortSignal): Promise<User> {
    const { password, ...valid } = validateNewUser(input);
    const passwordHash = password === undefined ? undefined : await this.passwords.hash(password, signal);
    const user = await this.repository.create({ ...valid, passwordHash });
    logger.info({ userId: user.id, roles: user.roles, withPassword: passwordHash !== undefined }, "user created");
    return user;
  }

  async get(id: number): Promise<User> {
    const user = await this.repository.get(id);
    if (!user) throw new NotFoundError(`user ${id} not found`);
    return user;
  }

  /** One page more than asked for, for kit's toPage. */
  list(page: PageRequest): Promise<User[]> {
    return this.repository.listAfter(page);
  }

  /**
   * The user whose email and password these are, or null. Every well-formed
   * request runs exactly one argon2id verification, whether the email exists or
   * not, and the answer for a miss is the one for a wrong password. `signal`: the
   * caller has gone (a check still waiting for its turn is then never run).
   */
  async verifyCredentials(
    emailInput: string,
    password: string,
    logger: Logger = this.logger,
    signal?: AbortSignal,
  ): Promise<User | null> {
    const problems = new Violations();
    if (!isPlausiblePassword(password)) problems.add("password", `must be 1 to ${PASSWORD_MAX_LENGTH} characters`);
    problems.throwIfAny();
    const email = validateLoginEmail(emailInput);
    const found = await this.repository.findCredentials(email);
    const valid = await this.passwords.verify(password, found?.passwordHash, signal);
    if (!valid || !found) {
      logger.debug("credentials refused");
      return null;
    }
    logger.debug({ userId: found.user.id }, "credentials verified");
    return found.user;
  }

  /** Counts a login attempt from `address` and says whether it may go ahead. */
  async admitLogin(
    request: { username: string; address: string; limits: Partial<LoginThrottleLimits> | null },
    logger: Logger = this.logger,
  ): Promise<Admission> {
    const limits = validateThrottleRequest(request);
    const now = Date.now();
    this.pruneNow(now);
    const attempts = await this.throttle.count(addressKey(request.address), now, limits.windowSeconds * 1000);
    const failures = await this.throttle.peek(usernameKey(request.username), now);
    const admission = admit(attempts, failures, now, limits);
    if (!admission.allowed) logger.info({ retryAfterMs: admission.retryAfterMs }, "login throttled");
    return admission;
  }

  /** A success clears the username's failures; a failure counts one. */
  async recordLoginResult(request: {
    username: string;
    succeeded: boolean;
    limits: Partial<LoginThrottleLimits> | null;
  }): Promise<void> {
    const limits = validateThrottleRequest(request);
    const key = usernameKey(request.username);
    if (request.succeeded) await this.throttle.clear(key);
    else await this.throttle.count(key, Date.now(), limits.windowSeconds * 1000);
  }

  /** Opportunistic: one caller in a while deletes the expired windows, off the request's path. */
  private pruneNow(now: number): void {
    if (now - this.prunedAt < THROTTLE_PRUNE_INTERVAL_MS) return;
    this.prunedAt = now;
    this.throttle
      .prune(now)
      .then((pruned) => this.logger.debug({ pruned }, "expired login-throttle windows deleted"))
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "deleting expired login-throttle windows failed; retrying later"),
      );
  }
}
