// Shapes shared by the HTTP modules: ids, timestamps, list pages, statuses.
import { fromTimestamp, MAX_PAGE_SIZE } from "@platform/kit";
import type { Role as WireRole, Timestamp } from "@platform/proto";
import { roleFromWire, roleToWire } from "@platform/proto/enums";
import { lengthMessage } from "@platform/proto/rules";
import { t, type TSchema } from "elysia";
import { Kind, Type, TypeRegistry, type IntegerOptions } from "@sinclair/typebox";
import type { Role } from "../security/authorization";
import { validationProblem } from "./problem";

const ID_MESSAGE = `must be an integer between 1 and ${Number.MAX_SAFE_INTEGER}`;

/**
 * A JSON integer. TypeBox's own, not Elysia's t.Integer, which also takes numeric
 * strings ("5") and is documented as string-or-integer.
 */
export const int = (options: IntegerOptions = {}) => Type.Integer(options);

// An integer in a path or query string: decimal digits only, so "1e3", "0x10",
// " 1" and "" never turn into numbers by accident, and within the bounds. A zero
// fraction ("750.0") is allowed: JSON Schema's integers include 750.0, and a client
// that holds one as a float writes it so. It stays a string for the handler
// (Number() it), and is documented as an integer.
TypeRegistry.Set<{ minimum: number; maximum: number }>(
  "DecimalInteger",
  (schema, value) =>
    typeof value === "string" &&
    /^[0-9]{1,20}(?:\.0{1,20})?$/.test(value) &&
    Number(value) >= schema.minimum &&
    Number(value) <= schema.maximum,
);
export const decimalInteger = (options: { minimum: number; maximum: number; error: string; description?: string }) =>
  t.Unsafe<string>({ [Kind]: "DecimalInteger", type: "integer", ...options });

/** Path ids: integers 1..2^53-1, written in decimal. */
export const idParams = t.Object({
  id: decimalInteger({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, error: ID_MESSAGE }),
});

/** The id of a validated path. */
export function pathId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1)
    throw validationProblem([{ field: "id", message: ID_MESSAGE }], "the request path parameter has invalid fields");
  return id;
}

/** Body ids: JSON integers 1..2^53-1. */
export const bodyId = () => int({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, error: ID_MESSAGE });

// A page token is base64url("v1:<last id>") (services/kit pagination). Its pattern, so that
// a client (or a fuzzer) can tell a well-formed token: base64url of 1 to 15 decimal digits
// after "djE6" ("v1:"), three digits to four characters.
const FIRST = "(?:[MN][DTjz]|O[DT])";
const DIGITS3 = `${FIRST}[AEIMQUYcgk][wxyz0-5]`;
const DIGITS2 = `${FIRST}[AEIMQUYcgk]`;
const DIGITS1 = "(?:[MN][AQgw]|O[AQ])";
export const PAGE_TOKEN_PATTERN = `^(?:djE6(?:${DIGITS3}){0,4}(?:${DIGITS3}|${DIGITS2}|${DIGITS1}))?$`;

export const pageQuery = t.Object({
  page_size: t.Optional(
    decimalInteger({ minimum: 1, maximum: MAX_PAGE_SIZE, error: `must be an integer between 1 and ${MAX_PAGE_SIZE}` }),
  ),
  page_token: t.Optional(
    t.String({
      pattern: PAGE_TOKEN_PATTERN,
      error: "is not a token from a previous page",
      description: "The next_page_token of the previous page; absent or empty: the first.",
    }),
  ),
});
/** The page size a validated query asks for (0: the service's default). */
export const pageSizeOf = (query: { page_size?: string }) => Number(query.page_size ?? 0);

// The services' name rule (kit's checkName): trimmed, then 1..max characters and no
// C0/C1 control characters. As a pattern: no control character anywhere and at
// least one character that trim() keeps.
const CONTROL = "\\u0000-\\u001f\\u007f-\\u009f";
const TRIMMED = `${CONTROL}\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff`;
export const NAME_PATTERN = `^[^${CONTROL}]*[^${TRIMMED}][^${CONTROL}]*$`;
/** Worded as the services word it: blank is empty, else the control characters. */
export const nameMessage = ({ value }: { value?: unknown }) =>
  typeof value === "string" && value.trim() === "" ? lengthMessage.empty : "must not contain control characters";
/** A display name (user, job, pipeline, schedule, worker id). */
export const displayName = (maxLength: number, description?: string) =>
  t.String({
    minLength: 1,
    maxLength,
    pattern: NAME_PATTERN,
    error: nameMessage,
    ...(description ? { description } : {}),
  });

/** A value or null. */
export const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);
/** An RFC 3339 time, or null when there is none. */
export const timestamp = (description?: string) =>
  nullable(t.String({ format: "date-time", ...(description ? { description } : {}) }));
/** Any JSON value (a payload or a result); null when there is none. */
export const jsonAny = (description: string) => t.Unknown({ description });

/** One page of a list: GET /users/, /jobs/, /pipelines/, /schedules/. */
export const PageOf = <T extends TSchema>(item: T) =>
  t.Object({
    items: t.Array(item),
    next_page_token: t.String({ description: "Pass back as page_token for the next page; empty on the last page." }),
  });

export interface Page<T> {
  items: T[];
  next_page_token: string;
}

/** RFC 3339 in UTC, or null when the service sent none. */
export function rfc3339(ts: Timestamp | null | undefined): string | null {
  return fromTimestamp(ts)?.toISOString() ?? null;
}

/** "JOB_STATUS_RUNNING" → "RUNNING": the enum prefix is a protobuf convention, not an API one. */
export function enumName(value: string, prefix: string): string {
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** "ROLE_ADMIN" → "admin"; roles this gateway does not know are dropped (they grant nothing). */
export function fromWireRoles(roles: readonly WireRole[]): Role[] {
  return roles.map(roleFromWire).filter((r) => r !== undefined);
}

/** "admin" → "ROLE_ADMIN". */
export const toWireRole = (role: Role): WireRole => roleToWire(role);

export const created = <T>(
  set: { status?: number | string; headers: Record<string, unknown> },
  location: string,
  body: T,
): T => {
  set.status = 201;
  set.headers.location = location;
  return body;
};
