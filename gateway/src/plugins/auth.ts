// Bearer-token authentication. `tokens` signs and verifies; `auth` guards the
// modules that use it and resolves the caller, or answers 401. Each distinct
// token is verified once, then served from a bounded cache until it expires.
import { jwt } from "@elysiajs/jwt";
import { Elysia } from "elysia";
import type { GatewayConfig } from "../config";
import { unauthorized } from "../http/problem";
import { principalFromClaims, type Principal } from "../security/authorization";

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

export interface VerifiedTokenCacheOptions {
  /** Entries kept; the least recently used goes first. */
  maxEntries: number;
  /** How long one verification is trusted at most, however far away the token's exp is. */
  maxAgeMs: number;
  /** The verifier's clock tolerance: a token is still accepted until exp + leeway. */
  leewaySeconds: number;
  now?: () => number;
}

/**
 * Principals of tokens that passed full verification (signature, algorithm, iss,
 * aud, exp, nbf), keyed by the exact token string, so a changed byte is a miss
 * and goes through full verification again. An entry lapses at exp + leeway,
 * exactly when the verifier would start rejecting the token, or after maxAgeMs,
 * whichever comes first; failures are never cached. Verifying an HS256 token
 * costs a key import and an HMAC per request: the profile showed it on the hot path.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; validUntilMs: number }>();
  private readonly now: () => number;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    if (options.maxEntries < 1 || options.maxAgeMs < 0) throw new Error("VerifiedTokenCache: maxEntries must be ≥ 1 and maxAgeMs ≥ 0");
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() >= entry.validUntilMs) {
      this.entries.delete(token);
      return undefined;
    }
    // Most recently used last, so eviction takes the oldest.
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry.principal;
  }

  /** Records a token that has just passed verification; `exp` in seconds since the epoch. */
  set(token: string, principal: Principal, exp: number): void {
    const now = this.now();
    const validUntilMs = Math.min((exp + this.options.leewaySeconds) * 1000, now + this.options.maxAgeMs);
    if (!(validUntilMs > now) || token.length > MAX_CACHED_TOKEN_LENGTH) return;
    this.entries.delete(token);
    this.entries.set(token, { principal, validUntilMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Far above our own tokens (~250 bytes); longer ones are verified every time, never stored. */
const MAX_CACHED_TOKEN_LENGTH = 4096;
export const TOKEN_CACHE_MAX_ENTRIES = 10_000;
export const TOKEN_CACHE_MAX_AGE_MS = 60_000;

/** One cache per configuration object, shared by every module that uses auth(config). */
const caches = new WeakMap<TokenConfig, VerifiedTokenCache>();
function cacheFor(config: TokenConfig): VerifiedTokenCache {
  let cache = caches.get(config);
  if (!cache) {
    cache = new VerifiedTokenCache({ maxEntries: TOKEN_CACHE_MAX_ENTRIES, maxAgeMs: TOKEN_CACHE_MAX_AGE_MS, leewaySeconds: config.JWT_CLOCK_SKEW_SECONDS });
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
  return new Elysia({ name: "auth" }).use(tokens(config)).derive({ as: "scoped" }, markAuthHook(async ({ jwt, headers }): Promise<{ principal: Principal }> => {
    const header = headers.authorization;
    if (!header) throw unauthorized("missing bearer token");
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized("the Authorization header must be 'Bearer <token>'");
    const cached = cache.get(token);
    if (cached) return { principal: cached };
    const claims = await jwt.verify(token, verifyOptions);
    if (!claims || typeof claims.sub !== "string" || typeof claims.exp !== "number") throw unauthorized("the token is invalid or expired", "invalid_token");
    const principal = Object.freeze(principalFromClaims({ ...claims, sub: claims.sub }));
    cache.set(token, principal, claims.exp);
    return { principal };
  }));
};

// The bearer checks this plugin installed, so documentation can tell protected routes apart.
const authHooks = new WeakSet<object>();
function markAuthHook<F extends object>(fn: F): F {
  authHooks.add(fn);
  return fn;
}

/** Whether a route's hooks run the bearer check (the OpenAPI document marks it as protected). */
export function isAuthenticated(hooks: Record<string, unknown>): boolean {
  const transforms = hooks.transform;
  return Array.isArray(transforms) && transforms.some((hook: { fn?: object } | undefined) => hook?.fn !== undefined && authHooks.has(hook.fn));
}
