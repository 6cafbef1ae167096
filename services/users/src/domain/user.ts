// What a user is, and what makes one valid. No transport, no storage.
import { checkName, Violations } from "@platform/kit";

export interface User {
  id: number;
  name: string;
  email: string;
  createdAt: Date;
}

export interface NewUser {
  /** Absent: the store assigns the next free id. */
  id?: number;
  name: string;
  email: string;
}

export const EMAIL_MAX_LENGTH = 254;

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not ours to judge.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Trims the input and checks every field, reporting all problems at once. */
export function validateNewUser(input: NewUser): NewUser {
  const problems = new Violations();
  const name = checkName(problems, "name", input.name);
  const email = input.email.trim();
  if (email === "") problems.add("email", "must not be empty");
  else if (email.length > EMAIL_MAX_LENGTH) problems.add("email", `must be at most ${EMAIL_MAX_LENGTH} characters`);
  else if (!EMAIL_PATTERN.test(email)) problems.add("email", "must be a valid email address");
  problems.throwIfAny();
  return { ...input, name, email };
}
