// The worker SDK's small helpers: how a job's payload becomes the handler's
// argument, and how a thrown error becomes the message FailJob carries.
import type { PayloadSchema } from "./api";

export function parsePayload(text: string, schema: PayloadSchema<unknown> | undefined): unknown {
  let payload: unknown;
  try {
    payload = text === "" ? null : JSON.parse(text);
  } catch (error) {
    throw new Error(`the payload is not JSON: ${messageOf(error)}`);
  }
  if (!schema) return payload;
  try {
    return schema.parse(payload);
  } catch (error) {
    throw new Error(`invalid payload: ${issuesOf(error) ?? messageOf(error)}`);
  }
}

/** A schema error's issues as "field: message; …" (zod and Standard Schema errors carry `issues`). */
function issuesOf(error: unknown): string | undefined {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  return issues
    .map((issue: { path?: PropertyKey[]; message?: unknown }) => {
      const path = Array.isArray(issue.path) ? issue.path.map(String).join(".") : "";
      return path ? `${path}: ${String(issue.message)}` : String(issue.message);
    })
    .join("; ");
}

/** What a throw says: an Error's message, a string as is, anything else as JSON where it can be. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
