// POST /login: trades credentials for a bearer token. The configured account is
// checked here; any other username is taken as a user's email and checked by the
// users service (VerifyCredentials).
import { createHash, timingSafeEqual } from "node:crypto";
import { PasswordHasher, type Logger } from "@platform/kit";
import type { VerifyCredentialsResponse__Output } from "@platform/proto";
import { Elysia, t } from "elysia";
import type { GatewayConfig } from "../../config";
import { HttpProblem } from "../../http/problem";
import { BODY, moduleDoc, responses, UPSTREAM } from "../../http/responses";
import { fromWireRoles, int } from "../../http/wire";
import { tokens, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import type { Role } from "../../security/authorization";
import { clientAddress } from "../../security/clientAddress";
import { LoginThrottle } from "../../security/loginThrottle";
import type { Upstreams } from "../../upstream";

type LoginConfig = TokenConfig &
  Pick<
    GatewayConfig,
    | "ADMIN_USERNAME"
    | "ADMIN_PASSWORD"
    | "PASSWORD_HASH_CONCURRENCY"
    | "LOGIN_MAX_ATTEMPTS_PER_ADDRESS"
    | "LOGIN_MAX_FAILURES_PER_USERNAME"
    | "LOGIN_THROTTLE_WINDOW_SECONDS"
    | "TRUSTED_PROXY_HOPS"
    | "TRUSTED_PROXIES"
  >;

/** Who a successful login is: the token's sub, roles and, for users-service accounts, uid. */
interface Account {
  subject: string;
  roles: Role[];
  userId?: number;
}

/** Equal-length digests make the comparison time independent of where inputs differ. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** One answer for every failed login, whatever the reason, so none can be told apart. */
const invalidCredentials = () => new HttpProblem(401, "invalid-credentials", "invalid username or password");

const Token = t.Object({
  access_token: t.String({ description: "A JWT: send it as `Authorization: Bearer <token>`." }),
  token_type: t.Literal("bearer"),
  expires_in: int({ minimum: 1, description: "Seconds until the token expires." }),
});

export const loginModule = (config: LoginConfig, upstreams: Pick<Upstreams, "users">, logger: Logger) => {
  // Shared by every replica through the users service; this replica's own counters while it is unreachable.
  const throttle = new LoginThrottle(
    {
      maxAttemptsPerAddress: config.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
      maxFailuresPerUsername: config.LOGIN_MAX_FAILURES_PER_USERNAME,
      windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
    },
    upstreams.users,
    logger.child({ module: "login-throttle" }),
  );
  // The configured password is checked against an argon2id hash, like users' passwords
  // in the users service, so that a login costs the same whichever branch it takes:
  // otherwise response times would tell the admin's username from every other. The
  // hash is made by the replica's first login, whoever it is for (every login waits
  // for it, so that one is not told apart either), not at start, where it cost every
  // replica ~150 ms of CPU and 64 MiB before its first request. Hashes and checks take
  // turns in the replica's bounded hasher, so a burst of logins holds a bounded memory.
  const passwords = new PasswordHasher(config.PASSWORD_HASH_CONCURRENCY);
  let adminHash: Promise<string> | undefined;
  const hashedAdminPassword = () => (adminHash ??= passwords.hash(config.ADMIN_PASSWORD));

  // A check whose client has gone by its turn never runs (signal: the request's; the problems plugin answers 499).
  async function adminAccount(password: string, signal: AbortSignal): Promise<Account | undefined> {
    if (!(await passwords.verify(password, await hashedAdminPassword(), signal))) return undefined;
    // The configured account is the administrator.
    return { subject: config.ADMIN_USERNAME, roles: ["admin"] };
  }

  async function userAccount(
    email: string,
    password: string,
    requestId: string,
    signal: AbortSignal,
  ): Promise<Account | undefined> {
    let answer: VerifyCredentialsResponse__Output;
    try {
      // A client that goes away cancels the call: the users service then skips a check still waiting its turn.
      answer = await upstreams.users.call("VerifyCredentials", { email, password }, { requestId, signal });
    } catch (error) {
      // An outage (503, 504) or a fault is not a wrong password: say so. Anything the
      // service refused (e.g. a username that cannot be an email) is a failed login.
      if (error instanceof HttpProblem && error.status < 500) return undefined;
      throw error;
    }
    if (!answer.valid || !answer.user) return undefined;
    return { subject: answer.user.email, roles: fromWireRoles(answer.user.roles), userId: Number(answer.user.id) };
  }

  return new Elysia({ name: "login" })
    .use(withRequestId)
    .use(tokens(config))
    .guard(moduleDoc("login", { bearer: false }))
    .post(
      "/login",
      async ({ body, jwt, request, server, requestId }) => {
        await throttle.admit(
          body.username,
          clientAddress(request, server, { hops: config.TRUSTED_PROXY_HOPS, proxies: config.TRUSTED_PROXIES }),
          requestId,
        );
        await hashedAdminPassword();
        const account = sameSecret(body.username, config.ADMIN_USERNAME)
          ? await adminAccount(body.password, request.signal)
          : await userAccount(body.username, body.password, requestId, request.signal);
        if (!account) {
          await throttle.record(body.username, false, requestId);
          throw invalidCredentials();
        }
        await throttle.record(body.username, true, requestId);
        const expiresIn = config.JWT_EXPIRE_MINUTES * 60;
        const accessToken = await jwt.sign({
          sub: account.subject,
          roles: account.roles,
          ...(account.userId === undefined ? {} : { uid: account.userId }),
          exp: Math.floor(Date.now() / 1000) + expiresIn,
        });
        return { access_token: accessToken, token_type: "bearer" as const, expires_in: expiresIn };
      },
      {
        body: t.Object(
          {
            username: t.String({
              minLength: 1,
              maxLength: 200,
              description: "The configured account's username, or a user's email.",
            }),
            password: t.String({ minLength: 1, maxLength: 4096 }),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Token }, ...BODY, 401, ...UPSTREAM),
        detail: {
          summary: "Log in",
          description:
            "The configured account (ADMIN_USERNAME) gets the admin role; any other username is a user's email, checked by the users service, and the token carries that user's id (`uid`) and roles. Every failure is the same 401; 429 when throttled; 503 when the users service is down.",
        },
      },
    );
};
