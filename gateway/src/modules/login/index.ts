// POST /login: trades the configured account's credentials for a bearer token.
import { createHash, timingSafeEqual } from "node:crypto";
import { Elysia, t } from "elysia";
import type { GatewayConfig } from "../../config";
import { HttpProblem } from "../../http/problem";
import { tokens, type TokenConfig } from "../../plugins/auth";
import { clientAddress } from "../../security/clientAddress";
import { LoginThrottle } from "../../security/loginThrottle";

type LoginConfig = TokenConfig &
  Pick<
    GatewayConfig,
    | "ADMIN_USERNAME"
    | "ADMIN_PASSWORD"
    | "LOGIN_MAX_ATTEMPTS_PER_ADDRESS"
    | "LOGIN_MAX_FAILURES_PER_USERNAME"
    | "LOGIN_THROTTLE_WINDOW_SECONDS"
    | "TRUSTED_PROXY_HOPS"
  >;

/** Equal-length digests make the comparison time independent of where inputs differ. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export const loginModule = (config: LoginConfig) => {
  const throttle = new LoginThrottle({
    maxAttemptsPerAddress: config.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
    maxFailuresPerUsername: config.LOGIN_MAX_FAILURES_PER_USERNAME,
    windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
  });
  return new Elysia({ name: "login" }).use(tokens(config)).post(
    "/login",
    async ({ body, jwt, request, server }) => {
      await throttle.admit(body.username, clientAddress(request, server, config.TRUSTED_PROXY_HOPS));
      // Both checks always run, so timing does not tell which one failed.
      const userOk = sameSecret(body.username, config.ADMIN_USERNAME);
      const passwordOk = sameSecret(body.password, config.ADMIN_PASSWORD);
      if (!(userOk && passwordOk)) {
        await throttle.recordFailure(body.username);
        throw new HttpProblem(401, "invalid-credentials", "invalid username or password");
      }
      await throttle.recordSuccess(body.username);
      const expiresIn = config.JWT_EXPIRE_MINUTES * 60;
      // The configured account is the administrator.
      const accessToken = await jwt.sign({ sub: body.username, roles: ["admin"], exp: Math.floor(Date.now() / 1000) + expiresIn });
      return { access_token: accessToken, token_type: "bearer" as const, expires_in: expiresIn };
    },
    {
      body: t.Object(
        {
          username: t.String({ minLength: 1, maxLength: 200 }),
          password: t.String({ minLength: 1, maxLength: 1024 }),
        },
        { additionalProperties: false },
      ),
    },
  );
};
