// Field rules more than one service applies.
import { lengthMessage, NAME_MAX_LENGTH } from "@platform/proto/rules";
import type { Violations } from "./errors";

// C0/C1 control characters (tabs and newlines included) have no place in names.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** The contract's rule (@platform/proto/rules). */
export { NAME_MAX_LENGTH };

/** Trims a display name and records what is wrong with it; returns the trimmed value. */
export function checkName(problems: Violations, field: string, value: string, maxLength = NAME_MAX_LENGTH): string {
  const name = value.trim();
  if (name === "") problems.add(field, lengthMessage.empty);
  else if (name.length > maxLength) problems.add(field, lengthMessage.atMost(maxLength));
  else if (CONTROL_CHARACTERS.test(name)) problems.add(field, "must not contain control characters");
  return name;
}

export const OWNER_MAX_LENGTH = 320;

/**
 * An owner is the subject of the token that created a resource (a username or an
 * email), compared exactly: not trimmed, so the stored and the asked-for owner
 * are the same string.
 */
export function checkOwner(problems: Violations, field: string, value: string): string {
  if (value === "") problems.add(field, "must not be empty");
  else if (value.length > OWNER_MAX_LENGTH) problems.add(field, `must be at most ${OWNER_MAX_LENGTH} characters`);
  else if (CONTROL_CHARACTERS.test(value)) problems.add(field, "must not contain control characters");
  return value;
}
