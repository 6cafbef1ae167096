// One call a service serves, read off its HTTP/2 stream: the request messages
// (length-prefixed, size-limited, gzip or deflate when the client compressed
// them), the deadline, cancellation, and the answer (headers, messages, then
// the status in the trailers, or alone as a trailers-only response). It is the
// call object grpc-js hands a handler (request, metadata, getDeadline(),
// cancelled and the "cancelled" event, write()/end() and the "data"/"end"
// events of streams), so handlers written for grpc-js run unchanged.
import * as grpc from "@grpc/grpc-js";
import { EventEmitter } from "node:events";
import {
  constants as h2,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import { gunzipSync, inflateSync } from "node:zlib";
import { lengthPrefixed } from "./frame";

const Status = grpc.status;

export type MethodType = "unary" | "serverStream" | "clientStream" | "bidi";

/** A method as served: the handler and how its messages are read and written. */
export interface ServedMethod {
  path: string;
  type: MethodType;
  // biome-ignore lint/suspicious/noExplicitAny: unary and streaming handlers take different call types
  handler: (call: any, callback?: any) => void;
  deserialize: (bytes: Buffer) => unknown;
  serialize: (value: unknown) => Buffer;
}

export interface CallLimits {
  maxReceiveBytes: number;
  maxSendBytes: number;
}

export interface StatusToSend {
  code: number;
  details: string;
  metadata?: grpc.Metadata | null | undefined;
}

const RESPONSE_HEADERS = {
  [h2.HTTP2_HEADER_STATUS]: 200,
  [h2.HTTP2_HEADER_CONTENT_TYPE]: "application/grpc+proto",
  "grpc-accept-encoding": "identity,deflate,gzip",
  "grpc-encoding": "identity",
};
const WITH_TRAILERS = { waitForTrailers: true };
const TRAILERS_ONLY = { endStream: true };

// Headers that are the transport's, not the caller's metadata (as grpc-js removes them).
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  "grpc-timeout",
  "grpc-encoding",
  "grpc-accept-encoding",
  "accept-encoding",
  "te",
  "content-type",
]);

/**
 * The caller's metadata: the request's headers without the pseudo-headers and the
 * transport's. Left out before grpc-js validates each entry (a third of the cost of
 * taking them all and removing these after). An entry grpc-js refuses (a non-ASCII
 * text value) is left out and logged by it, as on its own server.
 */
function callerMetadata(headers: IncomingHttpHeaders): grpc.Metadata {
  const caller: IncomingHttpHeaders = {};
  for (const name in headers) if (name[0] !== ":" && !TRANSPORT_HEADERS.has(name)) caller[name] = headers[name];
  return grpc.Metadata.fromHttp2Headers(caller);
}

const TIMEOUT = /^(\d{1,8})([HMSmun])$/;
const TIMEOUT_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000_001 };
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A handler's error as the status it ends the call with (grpc-js's serverErrorToStatus). */
export function statusOfError(error: unknown, trailer?: grpc.Metadata | null): StatusToSend {
  const fields = (typeof error === "object" && error !== null ? error : {}) as Partial<grpc.StatusObject> & {
    message?: unknown;
  };
  const status: StatusToSend = {
    code: Status.UNKNOWN,
    details: typeof fields.message === "string" ? fields.message : "Unknown Error",
    metadata: trailer ?? (fields.metadata instanceof grpc.Metadata ? fields.metadata : null),
  };
  if (typeof fields.code === "number" && Number.isInteger(fields.code)) {
    status.code = fields.code;
    if (typeof fields.details === "string") status.details = fields.details;
  }
  return status;
}

/** grpc-message's encoding; a lone surrogate (which encodeURI throws on) becomes U+FFFD. */
function percentEncoded(details: string): string {
  try {
    return encodeURI(details);
  } catch {
    return encodeURI(details.toWellFormed());
  }
}

/** Answers a call with its status alone (a trailers-only response): nothing else goes out on `stream`. */
export function respondWithStatus(stream: ServerHttp2Stream, status: StatusToSend): void {
  stream.respond(statusHeaders(status, RESPONSE_HEADERS), TRAILERS_ONLY);
}

/** The trailers (or trailers-only headers) carrying a status. */
function statusHeaders(status: StatusToSend, extra?: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const code = Number.isInteger(status.code) && status.code >= 0 && status.code <= 16 ? status.code : Status.UNKNOWN;
  return {
    ...extra,
    ...status.metadata?.toHttp2Headers(),
    "grpc-status": code,
    "grpc-message": percentEncoded(status.details),
  };
}

export class ServerCall extends EventEmitter {
  /** The request, for unary and server-streaming calls (set before the handler runs). */
  request: unknown;
  readonly metadata: grpc.Metadata;
  cancelled = false;
  private readonly deadline: number = Number.POSITIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private headersSent = false;
  /** The status has been sent (or the call was cut): nothing more goes out. */
  private over = false;
  private pending: Buffer | undefined;
  private readonly compressed: string;
  private readonly host: string;
  private messages = 0;

  constructor(
    private readonly stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    private readonly method: ServedMethod,
    private readonly limits: CallLimits,
  ) {
    super();
    this.compressed = String(headers["grpc-encoding"] ?? "identity");
    const timeout = headers["grpc-timeout"];
    let badTimeout: string | undefined;
    if (timeout !== undefined) {
      const match = TIMEOUT.exec(String(timeout));
      if (match) {
        const ms = Number(match[1]) * TIMEOUT_UNIT_MS[match[2]!]!;
        this.deadline = Date.now() + ms;
        this.armDeadline(ms);
      } else badTimeout = String(timeout);
    }
    this.metadata = callerMetadata(headers);
    this.host = String(headers[h2.HTTP2_HEADER_AUTHORITY] ?? headers.host ?? "");

    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    stream.on("end", () => this.onHalfClose());
    stream.on("close", () => this.onClose());
    // A stream's own errors end in "close"; without a listener they would be thrown.
    stream.on("error", () => {});
    // A streaming handler ends its call with an error by emitting it (grpc-js's contract).
    this.on("error", (error: unknown) => this.sendStatus(statusOfError(error)));
    if (badTimeout !== undefined)
      this.sendStatus({ code: Status.INTERNAL, details: `Invalid grpc-timeout value "${badTimeout}"` });
  }

  getDeadline(): number {
    return this.deadline;
  }

  getPath(): string {
    return this.method.path;
  }

  /** The authority the client asked for (grpc-js's getHost). */
  getHost(): string {
    return this.host;
  }

  getPeer(): string {
    const socket = this.stream.session?.socket;
    if (!socket?.remoteAddress) return "unknown";
    const host = socket.remoteAddress.includes(":") ? `[${socket.remoteAddress}]` : socket.remoteAddress;
    return socket.remotePort ? `${host}:${socket.remotePort}` : host;
  }

  sendMetadata(metadata?: grpc.Metadata): void {
    if (this.gone() || this.headersSent) return;
    this.headersSent = true;
    this.stream.respond(
      metadata ? { ...RESPONSE_HEADERS, ...metadata.toHttp2Headers() } : RESPONSE_HEADERS,
      WITH_TRAILERS,
    );
  }

  /** Sends one response message; false when the call is over or the stream asks to wait. */
  write(message: unknown): boolean {
    if (this.gone()) return false;
    const frame = this.frame(message);
    if (!frame) return false;
    this.sendMetadata();
    return this.stream.write(frame);
  }

  /** Ends a streaming call with OK (and these trailers). */
  end(trailer?: grpc.Metadata): this {
    this.sendStatus({ code: Status.OK, details: "OK", metadata: trailer });
    return this;
  }

  /** The unary answer, as grpc-js's sendUnaryData: an error, or the response and its trailers. */
  readonly respond = (error: unknown, value?: unknown, trailer?: grpc.Metadata | null): void => {
    if (this.gone()) return;
    if (error) {
      this.sendStatus(statusOfError(error, trailer));
      return;
    }
    const frame = this.frame(value);
    if (!frame) return;
    this.sendMetadata();
    this.finish({ code: Status.OK, details: "OK", metadata: trailer }, frame);
  };

  /** Ends the call with this status, unless it is already over. */
  sendStatus(status: StatusToSend): void {
    if (this.gone()) return;
    if (this.headersSent) {
      this.finish(status);
      return;
    }
    this.over = true;
    this.clearDeadline();
    respondWithStatus(this.stream, status);
    this.afterStatus();
  }

  /** Ends the data (with a last message) and sends the status in the trailers once the stream asks for them. */
  private finish(status: StatusToSend, last?: Buffer): void {
    this.over = true;
    this.clearDeadline();
    // Bun may ask at once, inside end(): listen first.
    this.stream.once("wantTrailers", () => {
      try {
        this.stream.sendTrailers(statusHeaders(status));
      } catch {
        // The stream went away meanwhile: "close" tells the rest.
      }
    });
    if (!this.stream.writableEnded) this.stream.end(last);
    this.afterStatus();
  }

  private afterStatus(): void {
    if (this.method.type === "serverStream" || this.method.type === "bidi") process.nextTick(() => this.emit("finish"));
  }

  /** A message framed for the wire, or undefined after ending the call when it cannot be sent. */
  private frame(message: unknown): Buffer | undefined {
    let body: Buffer;
    try {
      body = this.method.serialize(message);
    } catch {
      this.sendStatus({ code: Status.INTERNAL, details: "Error serializing response" });
      return undefined;
    }
    if (body.length > this.limits.maxSendBytes) {
      this.sendStatus({
        code: Status.RESOURCE_EXHAUSTED,
        details: `Sent message larger than max (${body.length} vs. ${this.limits.maxSendBytes})`,
      });
      return undefined;
    }
    return lengthPrefixed(body);
  }

  private armDeadline(ms: number): void {
    this.timer = setTimeout(
      () => {
        const left = this.deadline - Date.now();
        if (left > 0) {
          this.armDeadline(left);
          return;
        }
        this.sendStatus({ code: Status.DEADLINE_EXCEEDED, details: "Deadline exceeded" });
        this.cancel();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
  }

  private clearDeadline(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onData(chunk: Buffer): void {
    if (this.over) return;
    let buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buffer.length >= 5) {
      const size = buffer.readUInt32BE(1);
      if (size > this.limits.maxReceiveBytes) {
        this.pending = undefined;
        this.sendStatus({
          code: Status.RESOURCE_EXHAUSTED,
          details: `Received message larger than max (${size} vs. ${this.limits.maxReceiveBytes})`,
        });
        return;
      }
      if (buffer.length < 5 + size) break;
      const flag = buffer[0];
      const body = buffer.subarray(5, 5 + size);
      buffer = buffer.subarray(5 + size);
      if (!this.receive(flag === 1 ? this.compressed : "identity", body)) return;
    }
    this.pending = buffer.length > 0 ? buffer : undefined;
  }

  /** One request message; false when it ended the call. */
  private receive(encoding: string, body: Buffer): boolean {
    let bytes: Buffer;
    try {
      bytes = this.decompress(encoding, body);
    } catch (error) {
      this.sendStatus(error as StatusToSend);
      return false;
    }
    let message: unknown;
    try {
      message = this.method.deserialize(bytes);
    } catch {
      this.sendStatus({ code: Status.INTERNAL, details: "Error deserializing request" });
      return false;
    }
    this.messages++;
    const { type, path } = this.method;
    if (type === "clientStream" || type === "bidi") {
      this.emit("data", message);
      return true;
    }
    if (this.messages > 1) {
      this.sendStatus({
        code: Status.UNIMPLEMENTED,
        details: `Received a second request message for server streaming method ${path}`,
      });
      return false;
    }
    this.request = message;
    return true;
  }

  private decompress(encoding: string, body: Buffer): Buffer {
    if (encoding === "identity") return body;
    const limit = { maxOutputLength: this.limits.maxReceiveBytes };
    const unpack = encoding === "gzip" ? gunzipSync : encoding === "deflate" ? inflateSync : undefined;
    if (!unpack)
      throw {
        code: Status.UNIMPLEMENTED,
        details: `Received message compressed with unsupported encoding "${encoding}"`,
      } satisfies StatusToSend;
    try {
      return unpack(body, limit);
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE"
        ? {
            code: Status.RESOURCE_EXHAUSTED,
            details: `Received message that decompresses to a size larger than ${this.limits.maxReceiveBytes}`,
          }
        : { code: Status.INTERNAL, details: "Failed to decompress message" };
    }
  }

  private onHalfClose(): void {
    if (this.over) return;
    const { type, path } = this.method;
    if (this.pending) {
      this.pending = undefined;
      this.sendStatus({ code: Status.INTERNAL, details: "Truncated message frame" });
      return;
    }
    if (type === "clientStream" || type === "bidi") {
      this.emit("end");
      return;
    }
    if (this.messages === 0) {
      this.sendStatus({
        code: Status.UNIMPLEMENTED,
        details: `Received no request message for server streaming method ${path}`,
      });
      return;
    }
    this.run();
  }

  /**
   * Runs the handler: a unary or server-streaming one once its request is in, one whose
   * requests stream from the start (their messages arrive as "data"). Unary and
   * client-streaming handlers answer through `respond`; a throw ends the call UNKNOWN.
   */
  run(): void {
    const { type, handler } = this.method;
    try {
      if (type === "unary" || type === "clientStream") handler(this, this.respond);
      else handler(this);
    } catch {
      this.sendStatus({ code: Status.UNKNOWN, details: "Unknown error" });
    }
  }

  /**
   * The call is over: answered, or its stream reset by the client (which "close"
   * reports a turn later; writing to it meanwhile would throw).
   */
  private gone(): boolean {
    if (this.over) return true;
    if (!this.stream.destroyed && !this.stream.closed) return false;
    this.over = true;
    this.clearDeadline();
    this.cancel();
    return true;
  }

  private onClose(): void {
    this.clearDeadline();
    if (!this.over) {
      this.over = true;
      this.cancel();
    }
    this.emit("close");
  }

  private cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.emit("cancelled", "cancelled");
  }
}
