// Shapes shared by the HTTP modules: ids, timestamps, list pages, statuses.
import { fromTimestamp, MAX_PAGE_SIZE } from "@platform/kit";
import type { Role as WireRole, Timestamp } from "@platform/proto";
import { roleFromWire, roleToWire } from "@platform/proto/enums";
import { t } from "elysia";
import type { Role } from "../security/authorization";
import { validationProblem } from "./problem";

const ID_MESSAGE = `must be an integer between 1 and ${Number.MAX_SAFE_INTEGER}`;

/** Path ids: digits only, so "1e3", "0x10" and "-1" never turn into numbers by accident. */
export const idParams = t.Object({ id: t.String({ pattern: "^[0-9]{1,20}$", error: ID_MESSAGE }) });

/** The id in a validated path, or a 422 when it is 0 or beyond 2^53-1. */
export function pathId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1)
    throw validationProblem([{ field: "id", message: ID_MESSAGE }], "the request path parameter has invalid fields");
  return id;
}

/** Body ids must be JSON integers: t.Number, because Elysia's t.Integer also takes numeric strings. */
export const bodyId = () =>
  t.Number({ multipleOf: 1, minimum: 1, maximum: Number.MAX_SAFE_INTEGER, error: ID_MESSAGE });

export const pageQuery = t.Object({
  page_size: t.Optional(
    t.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, error: `must be an integer between 1 and ${MAX_PAGE_SIZE}` }),
  ),
  page_token: t.Optional(t.String({ maxLength: 256 })),
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
