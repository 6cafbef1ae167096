// Passwords: what a new one must be, how it is kept (argon2id), and how a login
// attempt is checked without telling whether the account exists.
import { randomBytes } from "node:crypto";
import type { Violations } from "@platform/kit";
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

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "argon2id" });
}

/**
 * Checks passwords against stored hashes. When there is no hash to check (no such
 * email, or a user without a password) it checks against a dummy hash instead, so
 * a miss costs the same argon2id run as a wrong password, and answers false.
 */
export class PasswordVerifier {
  private constructor(private readonly dummyHash: string) {}

  /** Computes the dummy hash once: a random password nobody knows, with the real parameters. */
  static async create(): Promise<PasswordVerifier> {
    return new PasswordVerifier(await hashPassword(randomBytes(32).toString("base64")));
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const matches = await Bun.password.verify(password, hash ?? this.dummyHash);
    return hash !== undefined && matches;
  }
}
