// What a user is, and what makes one valid. No transport, no storage.
import { checkName, Violations } from "@platform/kit";
import { LOWERCASE_ROLES, type LowercaseRole } from "@platform/proto/enums";
import { EMAIL_MAX_LENGTH, EMAIL_MESSAGE, EMAIL_PATTERN, lengthMessage } from "@platform/proto/rules";
import { checkPassword } from "./credentials";

// worker: runs the worker protocol (claim, heartbeat, complete, fail) and nothing else.
// The roles are the contract's (users.proto's Role), lowercased.
export const ROLES = LOWERCASE_ROLES;
export type Role = LowercaseRole;
export const DEFAULT_ROLES: readonly Role[] = ["user"];

export interface User {
  id: number;
  name: string;
  email: string;
  /** Sorted, no duplicates, never empty. */
  roles: Role[];
  createdAt: Date;
}

export interface NewUser {
  /** Absent: the store assigns the next free id. */
  id?: number;
  name: string;
  email: string;
  /** Absent or empty: DEFAULT_ROLES. */
  roles?: readonly string[];
  /** Plain text, write-only: validated here, hashed before it is stored, never returned. */
  password?: string;
}

/** A NewUser that passed validation: roles settled, password still plain text. */
export interface ValidNewUser extends Omit<NewUser, "roles"> {
  roles: Role[];
}

/** The contract's rule (@platform/proto/rules). */
export { EMAIL_MAX_LENGTH };

const EMAIL = new RegExp(EMAIL_PATTERN);

/**
 * The email a login names, trimmed. Only what can never be a stored email is refused
 * (empty, too long, control characters); anything else is looked up, so every
 * plausible username costs the same one password verification.
 */
export function validateLoginEmail(value: string): string {
  const email = value.trim();
  const problems = new Violations();
  if (email === "" || email.length > EMAIL_MAX_LENGTH)
    problems.add("email", `must be 1 to ${EMAIL_MAX_LENGTH} characters`);
  else if (/[\u0000-\u001f\u007f-\u009f]/.test(email)) problems.add("email", "must not contain control characters");
  problems.throwIfAny();
  return email;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Trims the input and checks every field, reporting all problems at once. */
export function validateNewUser(input: NewUser): ValidNewUser {
  const problems = new Violations();
  const name = checkName(problems, "name", input.name);
  const email = input.email.trim();
  if (email === "") problems.add("email", lengthMessage.empty);
  else if (email.length > EMAIL_MAX_LENGTH) problems.add("email", lengthMessage.atMost(EMAIL_MAX_LENGTH));
  else if (!EMAIL.test(email)) problems.add("email", EMAIL_MESSAGE);
  if (input.password !== undefined) checkPassword(problems, "password", input.password);
  const given = input.roles ?? [];
  const roles = given.length === 0 ? [...DEFAULT_ROLES] : given.filter(isRole);
  if (!given.every(isRole)) problems.add("roles", `must each be one of ${ROLES.join(", ")}`);
  problems.throwIfAny();
  return { ...input, name, email, roles: normalizeRoles(roles) };
}

/** Sorted and without duplicates, so stored and compared roles have one spelling. */
export function normalizeRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((role) => roles.includes(role));
}
