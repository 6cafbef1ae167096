// Remembers which bearer tokens already passed full verification, so each distinct
// token is verified once (the profile showed the HMAC and key import per request).
import type { Principal } from "./authorization";

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
    if (options.maxEntries < 1 || options.maxAgeMs < 0)
      throw new Error("VerifiedTokenCache: maxEntries must be ≥ 1 and maxAgeMs ≥ 0");
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
