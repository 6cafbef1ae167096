// One response of a unary call, read off its HTTP/2 stream: headers, the
// length-prefixed message, trailers or a reset, into a gRPC status as grpc-js
// maps them (the gRPC HTTP mapping included).
import * as grpc from "@grpc/grpc-js";
import { type ClientHttp2Stream, constants as h2, type IncomingHttpHeaders } from "node:http2";

const Status = grpc.status;

/** A call's end, as grpc-js reports it: rejects with this. */
export type ServiceError = grpc.ServiceError;

export function serviceError(code: number, details: string, metadata = new grpc.Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${Status[code] ?? "UNKNOWN"}: ${details}`), { code, details, metadata });
}

/** The gRPC status a response without one gets, from its HTTP status (the gRPC HTTP mapping). */
function statusOfHttp(httpStatus: number): AttemptEnd["status"] {
  const details = `Received HTTP status code ${httpStatus}`;
  const metadata = new grpc.Metadata();
  if (httpStatus === 400) return { code: Status.INTERNAL, details, metadata };
  if (httpStatus === 401) return { code: Status.UNAUTHENTICATED, details, metadata };
  if (httpStatus === 403) return { code: Status.PERMISSION_DENIED, details, metadata };
  if (httpStatus === 404) return { code: Status.UNIMPLEMENTED, details, metadata };
  if (httpStatus === 429 || httpStatus === 502 || httpStatus === 503 || httpStatus === 504)
    return { code: Status.UNAVAILABLE, details, metadata };
  return { code: Status.UNKNOWN, details, metadata };
}

export interface AttemptEnd {
  status: { code: number; details: string; metadata: grpc.Metadata };
  message?: Buffer;
  /** Response headers or a message arrived: the server handled it, never retry. */
  committed: boolean;
  /** Never reached the server (a refused stream): retry without counting. */
  transparent?: true;
}

/**
 * Collects one response (headers, length-prefixed messages, trailers or a
 * reset) into an AttemptEnd. `lost` says whether the stream's connection is
 * gone (dropped, or a GOAWAY arrived).
 */
export function readResponse(
  stream: ClientHttp2Stream,
  maxBytes: number,
  lost: () => boolean,
  onEnd: (end: AttemptEnd) => void,
): void {
  let httpStatus = 0;
  let committed = false;
  let status: AttemptEnd["status"] | undefined;
  let error: Error | undefined;
  const chunks: Buffer[] = [];
  let length = 0;
  let settled = false;
  const settle = (end: AttemptEnd) => {
    if (settled) return;
    settled = true;
    onEnd(end);
  };
  const fromTrailers = (headers: IncomingHttpHeaders) => {
    status = statusOfTrailers(headers, httpStatus);
  };
  const finish = () => {
    if (!status) return;
    if (status.code !== Status.OK) return settle({ status, committed });
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    const parsed = parseMessages(body, maxBytes);
    if ("code" in parsed) return settle({ status: { ...parsed, metadata: new grpc.Metadata() }, committed });
    settle({ status, message: parsed.message, committed });
  };
  stream.on("response", (headers, flags) => {
    httpStatus = Number(headers[":status"]);
    if (flags & h2.NGHTTP2_FLAG_END_STREAM) fromTrailers(headers);
    else committed = true;
  });
  stream.on("trailers", fromTrailers);
  stream.on("data", (chunk: Buffer) => {
    committed = true;
    chunks.push(chunk);
    length += chunk.length;
    // A first message over the limit ends the call now rather than after it has all been buffered.
    const size = chunks[0]!.length >= 5 ? chunks[0]!.readUInt32BE(1) : 0;
    if (size > maxBytes) {
      stream.close(h2.NGHTTP2_CANCEL);
      const status =
        httpStatus !== 200
          ? statusOfHttp(httpStatus)
          : {
              code: Status.RESOURCE_EXHAUSTED,
              details: `Received message larger than max (${size} vs. ${maxBytes})`,
              metadata: new grpc.Metadata(),
            };
      settle({ status, committed });
    }
  });
  stream.on("end", finish);
  stream.on("error", (cause) => {
    error = cause;
  });
  stream.on("close", () => {
    if (status) return finish();
    const rst = stream.rstCode;
    const metadata = new grpc.Metadata();
    if (rst === h2.NGHTTP2_REFUSED_STREAM && !committed)
      return settle({
        status: { code: Status.UNAVAILABLE, details: "Stream refused by server", metadata },
        committed,
        transparent: true,
      });
    if (httpStatus && httpStatus !== 200) return settle({ status: statusOfHttp(httpStatus), committed });
    let code: number = Status.INTERNAL;
    let details = `Received RST_STREAM with code ${rst}`;
    const socketError = error && (error as NodeJS.ErrnoException).code !== "ERR_HTTP2_STREAM_ERROR";
    if (socketError || (!committed && lost())) {
      // Bun reports a reset by the server as a clean end (rstCode 0), so a stream refused
      // on a connection that is going away is told by the connection, not by the code.
      code = Status.UNAVAILABLE;
      details = `Connection dropped${error ? `: ${error.message}` : ""}`;
    } else if (rst === h2.NGHTTP2_NO_ERROR || rst === undefined) {
      details = "Call ended without gRPC status";
    } else if (rst === h2.NGHTTP2_CANCEL) {
      code = Status.CANCELLED;
      details = "Call cancelled";
    } else if (rst === h2.NGHTTP2_ENHANCE_YOUR_CALM) {
      code = Status.RESOURCE_EXHAUSTED;
      details = "Bandwidth exhausted or memory limit exceeded";
    } else if (rst === h2.NGHTTP2_INADEQUATE_SECURITY) {
      code = Status.PERMISSION_DENIED;
      details = "Protocol not secure enough";
    }
    settle({ status: { code, details, metadata }, committed });
  });
}

function statusOfTrailers(headers: IncomingHttpHeaders, httpStatus: number): AttemptEnd["status"] {
  let metadata: grpc.Metadata;
  try {
    metadata = grpc.Metadata.fromHttp2Headers(headers);
  } catch (error) {
    return { code: Status.UNKNOWN, details: (error as Error).message, metadata: new grpc.Metadata() };
  }
  metadata.remove("grpc-status");
  metadata.remove("grpc-message");
  const raw = headers["grpc-status"];
  if (raw === undefined)
    return httpStatus === 200
      ? { code: Status.UNKNOWN, details: "No status received", metadata }
      : { ...statusOfHttp(httpStatus), metadata };
  const code = Number(raw);
  let details = String(headers["grpc-message"] ?? "");
  try {
    details = decodeURIComponent(details);
  } catch {
    // Not percent-encoded as it should be: shown as it came.
  }
  return Number.isInteger(code) && code >= 0 && code <= 16
    ? { code, details, metadata }
    : { code: Status.UNKNOWN, details: `Invalid grpc-status ${String(raw)}: ${details}`, metadata };
}

/** A unary response body: exactly one uncompressed length-prefixed message. */
function parseMessages(body: Buffer, maxBytes: number): { message: Buffer } | { code: number; details: string } {
  let offset = 0;
  let message: Buffer | undefined;
  while (offset < body.length) {
    if (body.length - offset < 5) return { code: Status.INTERNAL, details: "Truncated message frame" };
    const size = body.readUInt32BE(offset + 1);
    if (size > maxBytes)
      return { code: Status.RESOURCE_EXHAUSTED, details: `Received message larger than max (${size} vs. ${maxBytes})` };
    if (body[offset] !== 0)
      return { code: Status.INTERNAL, details: "Received a compressed message though identity was asked for" };
    if (offset + 5 + size > body.length) return { code: Status.INTERNAL, details: "Truncated message frame" };
    if (message) return { code: Status.UNIMPLEMENTED, details: "Too many responses received" };
    message = body.subarray(offset + 5, offset + 5 + size);
    offset += 5 + size;
  }
  return message ? { message } : { code: Status.UNIMPLEMENTED, details: "No message received" };
}
