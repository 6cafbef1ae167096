// Conversions between the wire types of the contracts and domain values.
import type { Timestamp } from "@platform/proto";
import { InvalidArgumentError } from "./errors";

/**
 * Ids are int64 on the wire and 1..2^53-1 in the domain. They arrive as decimal strings (the contracts load
 * int64 as strings) and are sent as numbers: protobufjs turns a number into its 64 bits with Long.fromNumber
 * and a decimal string with Long.fromString, which costs several times more per field (same bytes either way).
 */
export function parseId(field: string, value: string | number | undefined): number {
  const id = typeof value === "string" ? Number(value) : value;
  if (id === undefined || !Number.isSafeInteger(id) || id < 1) {
    throw new InvalidArgumentError([{ field, message: `must be an integer between 1 and ${Number.MAX_SAFE_INTEGER}` }]);
  }
  return id;
}

/** A Timestamp to send; its int64 seconds go as a number, like ids (parseId). */
export function toTimestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function fromTimestamp(ts: Timestamp | null | undefined): Date | undefined {
  if (!ts) return undefined;
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000));
}
