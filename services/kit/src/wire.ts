// Conversions between the wire types of the contracts and domain values.
import type { Timestamp } from "@platform/proto";
import { InvalidArgumentError } from "./errors";

/** Ids are int64 on the wire (decimal strings here) and 1..2^53-1 in the domain. */
export function parseId(field: string, value: string | number | undefined): number {
  const id = typeof value === "string" ? Number(value) : value;
  if (id === undefined || !Number.isSafeInteger(id) || id < 1) {
    throw new InvalidArgumentError([{ field, message: `must be an integer between 1 and ${Number.MAX_SAFE_INTEGER}` }]);
  }
  return id;
}

export function toTimestamp(date: Date): { seconds: string; nanos: number } {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function fromTimestamp(ts: Timestamp | null | undefined): Date | undefined {
  if (!ts) return undefined;
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000));
}
