// Passwords: what a new one must be, how it is kept (argon2id), and how a login
// attempt is checked without telling whether the account exists.
import type { PasswordHasher, Violations } from "@platform/kit";
import { lengthMessage, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@platform/proto/rules";

/** The contract's rules (@platform/proto/rules). */
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** Characters are code points, so an emoji counts once and cannot pad a short password. */
const lengthOf = (password: string) => [...password].length;

/** Records what is wrong with a new password. Never echoes it. */
export function checkPassword(problems: Violations, field: string, password: string): void {
  const length = lengthOf(password);
  if (length < PASSWORD_MIN_LENGTH) problems.add(field, lengthMessage.atLeast(PASSWORD_MIN_LENGTH));
  else if (length > PASSWORD_MAX_LENGTH) problems.add(field, lengthMessage.atMost(PASSWORD_MAX_LENGTH));
}

/** Whether a login attempt's password could be one we accepted: empty or overlong ones cannot. */
export function isPlausiblePassword(password: string): boolean {
  return password.length > 0 && lengthOf(password) <= PASSWORD_MAX_LENGTH;
}

/**
 * The hash a login is checked against when there is no stored one: of 32 random
 * bytes, made once with kit's ARGON2 parameters and thrown away, so no password matches
 * it. A constant, not made at start: hashing one cost every start ~150 ms of CPU and
 * 64 MiB (a test checks it still has ARGON2's parameters).
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=65536,t=2,p=1$VER7x/Hi+1uri+QLh94PVyrfrddDP0yP9mKnZrJEur8$dJznvMdKfCJnOFackB5jUAKNnTlmdigZQ/9oU8k7Mag"; // pragma: allowlist secret

/**
 * Hashes new passwords and checks login attempts against stored hashes, through
 * the process's bounded hasher. When there is no hash to check (no such email, or
 * a user without a password) it checks against DUMMY_HASH instead, so a miss costs
 * the same argon2id run as a wrong password, and answers false.
 */
export class Passwords {
  constructor(private readonly hasher: PasswordHasher) {}

  hash(password: string, signal?: AbortSignal): Promise<string> {
    return this.hasher.hash(password, signal);
  }

  async verify(password: string, hash: string | undefined, signal?: AbortSignal): Promise<boolean> {
    const matches = await this.hasher.verify(password, hash ?? DUMMY_HASH, signal);
    return hash !== undefined && matches;
  }
}
