// The login throttle's rule, shared by every gateway replica through this
// service's database: a bounded number of login attempts per client address,
// and of failed attempts per username, in fixed windows that start at the first
// count and last `windowSeconds`. Pure: the store keeps the windows.
import { Violations } from "@platform/kit";
import { createHash } from "node:crypto";

export interface LoginThrottleLimits {
  maxAttemptsPerAddress: number;
  maxFailuresPerUsername: number;
  windowSeconds: number;
}

/** One counter: how many in the window that ends at `expiresAt` (ms since the epoch). */
export interface LoginWindow {
  count: number;
  expiresAt: number;
}

export type Admission = { allowed: true } | { allowed: false; retryAfterMs: number };

export const MAX_THROTTLE_KEY_LENGTH = 200;
/** A day: longer windows would keep a locked username locked past any sensible policy. */
export const MAX_WINDOW_SECONDS = 86_400;

/** The window after one more count at `now`: an expired (or absent) window starts afresh. */
export function countIn(window: LoginWindow | undefined, now: number, windowMs: number): LoginWindow {
  if (!window || window.expiresAt <= now) return { count: 1, expiresAt: now + windowMs };
  return { count: window.count + 1, expiresAt: window.expiresAt };
}

/**
 * Whether a login may go ahead, given the address's window after counting this
 * attempt and the username's failures: the address may make `max` attempts, the
 * username may have failed fewer than `max` times.
 */
export function admit(
  attempts: LoginWindow,
  failures: LoginWindow | undefined,
  now: number,
  limits: LoginThrottleLimits,
): Admission {
  if (attempts.count > limits.maxAttemptsPerAddress)
    return { allowed: false, retryAfterMs: Math.max(1, attempts.expiresAt - now) };
  if (failures && failures.expiresAt > now && failures.count >= limits.maxFailuresPerUsername)
    return { allowed: false, retryAfterMs: Math.max(1, failures.expiresAt - now) };
  return { allowed: true };
}

// Emails are trimmed and compared in any letter case: so must the key be, or
// " Pat@example.com" would be a fresh budget of guesses for the same account.
// Keys are stored as SHA-256 digests: any text a client sends (NUL included, which
// PostgreSQL's TEXT refuses) becomes a fixed-size ASCII key, and the table holds no
// usernames or addresses in the clear.
const digest = (text: string) => createHash("sha256").update(text).digest("hex");
export const usernameKey = (username: string) => `username:${digest(username.normalize("NFKC").trim().toLowerCase())}`;
export const addressKey = (address: string) => `address:${digest(address)}`;

/** Checks what a gateway sent; throws INVALID_ARGUMENT with every problem. */
export function validateThrottleRequest(input: {
  username: string;
  address?: string;
  limits: Partial<LoginThrottleLimits> | null | undefined;
}): LoginThrottleLimits {
  const problems = new Violations();
  if (input.username.length === 0 || input.username.length > MAX_THROTTLE_KEY_LENGTH)
    problems.add("username", `must be 1 to ${MAX_THROTTLE_KEY_LENGTH} characters`);
  if (input.address !== undefined && (input.address.length === 0 || input.address.length > MAX_THROTTLE_KEY_LENGTH))
    problems.add("address", `must be 1 to ${MAX_THROTTLE_KEY_LENGTH} characters`);
  const limits = input.limits ?? {};
  const positive = (field: keyof LoginThrottleLimits, max: number) => {
    const value = limits[field];
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > max)
      problems.add(`limits.${snake(field)}`, `must be an integer from 1 to ${max}`);
    return value ?? 0;
  };
  const result = {
    maxAttemptsPerAddress: positive("maxAttemptsPerAddress", 1_000_000),
    maxFailuresPerUsername: positive("maxFailuresPerUsername", 1_000_000),
    windowSeconds: positive("windowSeconds", MAX_WINDOW_SECONDS),
  };
  problems.throwIfAny();
  return result;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
