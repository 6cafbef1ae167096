// Bearer-token authentication. `tokens` signs and verifies; `auth` guards the
// modules that use it and resolves the caller, or answers 401. Each distinct
// token is verified once, then served from a bounded cache until it expires.
import { jwt } from "@elysiajs/jwt";
import { Elysia } from "elysia";
import type { GatewayConfig } from "../config";
import { unauthorized } from "../http/problem";
import { principalFromClaims, type Principal } from "../security/authorization";
import { TOKEN_CACHE_MAX_AGE_MS, TOKEN_CACHE_MAX_ENTRIES, VerifiedTokenCache } from "../security/verifiedTokenCache";

export type { Principal };

export type TokenConfig = Pick<
  GatewayConfig,
  "JWT_SECRET_KEY" | "JWT_ALGORITHM" | "JWT_EXPIRE_MINUTES" | "JWT_ISSUER" | "JWT_AUDIENCE" | "JWT_CLOCK_SKEW_SECONDS"
>;

export const tokens = (config: TokenConfig) =>
  jwt({
    name: "jwt",
    secret: config.JWT_SECRET_KEY,
    alg: config.JWT_ALGORITHM,
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
  });

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/** One cache per configuration object, shared by every module that uses auth(config). */
const caches = new WeakMap<TokenConfig, VerifiedTokenCache>();
function cacheFor(config: TokenConfig): VerifiedTokenCache {
  let cache = caches.get(config);
  if (!cache) {
    cache = new VerifiedTokenCache({
      maxEntries: TOKEN_CACHE_MAX_ENTRIES,
      maxAgeMs: TOKEN_CACHE_MAX_AGE_MS,
      leewaySeconds: config.JWT_CLOCK_SKEW_SECONDS,
    });
    caches.set(config, cache);
  }
  return cache;
}

export const auth = (config: TokenConfig) => {
  // Pinned: a token must use the configured algorithm and carry our iss, aud and an exp.
  const verifyOptions = {
    algorithms: [config.JWT_ALGORITHM],
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    requiredClaims: ["exp", "sub"],
    clockTolerance: config.JWT_CLOCK_SKEW_SECONDS,
  };
  const cache = cacheFor(config);
  // derive, not resolve: it runs before body validation, so a caller without a
  // valid token learns nothing about the route's schema.
  return new Elysia({ name: "auth" })
    .use(tokens(config))
    .derive({ as: "scoped" }, async ({ jwt, headers }): Promise<{ principal: Principal }> => {
      const header = headers.authorization;
      if (!header) throw unauthorized("missing bearer token");
      const token = BEARER.exec(header)?.[1];
      if (!token) throw unauthorized("the Authorization header must be 'Bearer <token>'");
      const cached = cache.get(token);
      if (cached) return { principal: cached };
      const claims = await jwt.verify(token, verifyOptions);
      if (!claims || typeof claims.sub !== "string" || typeof claims.exp !== "number")
        throw unauthorized("the token is invalid or expired", "invalid_token");
      const principal = Object.freeze(principalFromClaims({ ...claims, sub: claims.sub }));
      cache.set(token, principal, claims.exp);
      return { principal };
    });
};
