// Field violations on the wire: the standard google.rpc.BadRequest inside a
// google.rpc.Status, in the binary `grpc-status-details-bin` trailer, the way
// grpcurl, Envoy and every gRPC ecosystem read rich errors. Binary metadata
// holds any Unicode; ASCII metadata (where grpc-js throws on anything else)
// never carries user text.
//
// Bounded: a violation's field and description are cut to a fixed length, and
// violations are kept only while the encoded trailer stays under
// STATUS_DETAILS_BUDGET_BYTES (well under grpc-js's and HTTP/2's header
// limits). When some are left out, the last violation says so:
// `{ field: "", description: "N more violations omitted" }`, and
// decodeFieldViolations() reads it back as `omitted: N`.
import * as grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";
import type { FieldViolation } from "./errors";

export const STATUS_DETAILS_HEADER = "grpc-status-details-bin";
export const BAD_REQUEST_TYPE_URL = "type.googleapis.com/google.rpc.BadRequest";

/** The whole encoded google.rpc.Status stays under this. */
export const STATUS_DETAILS_BUDGET_BYTES = 8 * 1024;
/** At most this many violations travel, however small. */
export const MAX_FIELD_VIOLATIONS = 100;
export const MAX_FIELD_CHARS = 200;
export const MAX_DESCRIPTION_CHARS = 500;
/** The grpc-message (status details string) is cut to this many characters. */
export const MAX_STATUS_MESSAGE_CHARS = 500;

// The standard definitions (google/protobuf/any.proto, google/rpc/status.proto,
// google/rpc/error_details.proto), only the messages used here, same field numbers.
// Server reflection describes them too (reflection.ts), so grpcurl shows the details.
const root = new protobuf.Root();
protobuf.parse(
  `syntax = "proto3"; package google.protobuf; message Any { string type_url = 1; bytes value = 2; }`,
  root,
  { keepCase: true },
);
protobuf.parse(
  `syntax = "proto3"; package google.rpc;
   message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
   message BadRequest {
     message FieldViolation { string field = 1; string description = 2; }
     repeated FieldViolation field_violations = 1;
   }`,
  root,
  { keepCase: true },
);
/** The definitions above, for server reflection. */
export const STATUS_DETAILS_ROOT: protobuf.Root = root;
const StatusType = root.lookupType("google.rpc.Status");
const BadRequestType = root.lookupType("google.rpc.BadRequest");

interface WireViolation {
  field: string;
  description: string;
}

const OMITTED = /^(\d+) more violations? omitted$/;

/**
 * Well-formed text of at most `max` code points (never splitting a surrogate pair), the cut marked
 * with "…". A lone surrogate (user text can carry one) becomes U+FFFD: grpc-js percent-encodes the
 * grpc-message, and encodeURIComponent throws on a lone surrogate.
 */
export function truncate(text: string, max: number): string {
  const wellFormed = text.toWellFormed();
  if (wellFormed.length <= max) return wellFormed;
  const points = Array.from(wellFormed);
  return points.length <= max ? wellFormed : `${points.slice(0, max - 1).join("")}…`;
}

const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/** The violations that fit the budget, plus a final note counting the rest. */
function boundedViolations(violations: readonly FieldViolation[], message: string): WireViolation[] {
  // Room for the code, the message, the Any wrapper and the omission note.
  let remaining = STATUS_DETAILS_BUDGET_BYTES - utf8Length(message) - BAD_REQUEST_TYPE_URL.length - 96;
  const kept: WireViolation[] = [];
  for (const violation of violations) {
    if (kept.length === MAX_FIELD_VIOLATIONS) break;
    const wire = {
      field: truncate(String(violation.field), MAX_FIELD_CHARS),
      description: truncate(String(violation.message), MAX_DESCRIPTION_CHARS),
    };
    // Two tags and two lengths per string, one tag and length for the entry.
    const size = utf8Length(wire.field) + utf8Length(wire.description) + 12;
    if (size > remaining) break;
    remaining -= size;
    kept.push(wire);
  }
  const omitted = violations.length - kept.length;
  if (omitted > 0)
    kept.push({ field: "", description: `${omitted} more violation${omitted === 1 ? "" : "s"} omitted` });
  return kept;
}

/** The encoded google.rpc.Status for an INVALID_ARGUMENT with these violations. */
export function encodeBadRequestStatus(
  code: grpc.status,
  message: string,
  violations: readonly FieldViolation[],
): Buffer {
  const boundedMessage = truncate(message, MAX_STATUS_MESSAGE_CHARS);
  const badRequest = BadRequestType.encode(
    BadRequestType.create({ field_violations: boundedViolations(violations, boundedMessage) }),
  ).finish();
  const status = StatusType.create({
    code,
    message: boundedMessage,
    details: [{ type_url: BAD_REQUEST_TYPE_URL, value: badRequest }],
  });
  return Buffer.from(StatusType.encode(status).finish());
}

/** Trailing metadata carrying the violations; safe for any text. */
export function fieldViolationsMetadata(
  code: grpc.status,
  message: string,
  violations: readonly FieldViolation[],
): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(STATUS_DETAILS_HEADER, encodeBadRequestStatus(code, message, violations));
  return metadata;
}

export interface DecodedFieldViolations {
  violations: FieldViolation[];
  /** How many the sender left out to stay within the size bound. */
  omitted: number;
}

/**
 * Reads the google.rpc.BadRequest out of a failed call's metadata; undefined
 * when there is none or it does not decode.
 */
export function decodeFieldViolations(metadata: grpc.Metadata | undefined): DecodedFieldViolations | undefined {
  const raw = metadata?.get(STATUS_DETAILS_HEADER)[0];
  if (!(raw instanceof Uint8Array)) return undefined;
  try {
    const status = StatusType.toObject(StatusType.decode(raw), { defaults: true }) as {
      details: { type_url: string; value: Uint8Array }[];
    };
    const detail = status.details.find((d) => d.type_url === BAD_REQUEST_TYPE_URL);
    if (!detail) return undefined;
    const badRequest = BadRequestType.toObject(BadRequestType.decode(detail.value), { defaults: true }) as {
      field_violations: WireViolation[];
    };
    const violations: FieldViolation[] = [];
    let omitted = 0;
    for (const { field, description } of badRequest.field_violations) {
      const note = field === "" ? OMITTED.exec(description) : null;
      if (note) omitted += Number(note[1]);
      else violations.push({ field, message: description });
    }
    return { violations, omitted };
  } catch {
    return undefined;
  }
}
