// Unary gRPC calls straight on node:http2: what grpc-js's channel does for a
// unary call (resolve the target, round robin over every address, reconnect
// with backoff, keepalive pings, GOAWAY, retry UNAVAILABLE that nothing
// answered, deadlines, cancellation, status and trailing metadata, mutual TLS)
// at about a third of its CPU per call on Bun (bench/ab/rawHop.ts measures the
// whole path both ways). ServiceClient makes its unary calls here; streams, and
// the target kinds parseTarget does not take, stay on grpc-js.
import * as grpc from "@grpc/grpc-js";
import { lookup } from "node:dns/promises";
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as http2Connect,
  constants as h2,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from "node:http2";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { GrpcTls } from "./grpcTls";

const Status = grpc.status;

/** How long a channel waits between tries, pings and resolutions; every field has grpc-js's default or ours. */
export interface Http2ChannelOptions {
  tls?: GrpcTls | null | undefined;
  /** A PING this often on every connection, so proxies keep it and a dead peer is noticed (grpc.keepalive_time_ms). */
  keepaliveMs: number;
  /** No PING answer within this: the connection is dead (grpc.keepalive_timeout_ms). */
  keepaliveTimeoutMs: number;
  /** Reconnect backoff, doubled (×1.6, jittered) per failed try up to the maximum. */
  initialReconnectMs: number;
  maxReconnectMs: number;
  /** Resolve a DNS name again at most this often (grpc.dns_min_time_between_resolutions_ms). */
  minResolveIntervalMs: number;
  /** Attempts per call while the answer is UNAVAILABLE from nothing that handled it (the retry policy). */
  maxAttempts: number;
  initialRetryBackoffMs: number;
  maxRetryBackoffMs: number;
  /** The largest response message accepted (grpc.max_receive_message_length). */
  maxReceiveMessageBytes: number;
  /** A connection not ready (TCP, TLS and the server's SETTINGS) within this has failed. */
  connectTimeoutMs: number;
  /** Finds the addresses of a DNS name (node's resolver; tests give their own). */
  lookup: (hostname: string) => Promise<{ address: string }[]>;
}

export const HTTP2_CHANNEL_DEFAULTS: Http2ChannelOptions = {
  keepaliveMs: 30_000,
  keepaliveTimeoutMs: 10_000,
  initialReconnectMs: 100,
  maxReconnectMs: 2_000,
  minResolveIntervalMs: 30_000,
  maxAttempts: 3,
  initialRetryBackoffMs: 50,
  maxRetryBackoffMs: 500,
  maxReceiveMessageBytes: 4 * 1024 * 1024,
  connectTimeoutMs: 20_000,
  lookup: (hostname) => lookup(hostname, { all: true }),
};

export interface UnaryCallOptions {
  deadline: number;
  /** Wait for a connection instead of failing while every address is down (bounded by the deadline). */
  waitForReady: boolean;
  /** Cancels the call (CANCELLED). */
  signal?: AbortSignal | undefined;
}

type Endpoint = { host: string; port: number } | { path: string };

/** Where a target's connections go and the `:authority` its calls carry. */
export interface ParsedTarget {
  authority: string;
  /** The name a server certificate must carry (without GRPC_TLS_SERVER_NAME). */
  host: string;
  /** A DNS name to look up, or fixed endpoints. */
  dnsName?: string;
  port: number;
  endpoints: Endpoint[];
}

const DEFAULT_PORT = 443;
const MAX_TIMER_MS = 2 ** 31 - 1;
const HOST_PORT = /^(?:\[([0-9a-f:.]+)\]|([^:[\]/\s]+))(?::(\d{1,5}))?$/i;

function hostPort(text: string): { host: string; port: number } | undefined {
  const match = HOST_PORT.exec(text);
  if (!match) return undefined;
  const port = match[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  return port <= 65535 ? { host: (match[1] ?? match[2])!, port } : undefined;
}

/**
 * Reads a grpc-js target: `host:port`, `dns:///host:port`, `dns:host:port`,
 * `ipv4:a:p,b:p`, `ipv6:[a]:p,…`, `unix:/path`. Undefined for what it does not
 * take (a DNS server in the target, abstract sockets): grpc-js serves those.
 */
export function parseTarget(target: string): ParsedTarget | undefined {
  const unix = /^unix:(?:\/\/)?(.+)$/.exec(target);
  if (unix) return { authority: "localhost", host: "localhost", port: 0, endpoints: [{ path: unix[1]! }] };
  const list = /^(ipv4|ipv6):(.+)$/.exec(target);
  if (list) {
    const endpoints = list[2]!.split(",").map(hostPort);
    const family = list[1] === "ipv4" ? 4 : 6;
    if (endpoints.some((e) => !e || isIP(e.host) !== family)) return undefined;
    const first = endpoints[0]!;
    return {
      authority: list[2]!.split(",")[0]!,
      host: first.host,
      port: first.port,
      endpoints: endpoints as Endpoint[],
    };
  }
  if (/^dns:\/\/[^/]/.test(target)) return undefined; // names its own DNS server
  const named = hostPort(target.replace(/^dns:(?:\/\/\/)?/, ""));
  if (!named) return undefined;
  const authority = isIP(named.host) === 6 ? `[${named.host}]:${named.port}` : `${named.host}:${named.port}`;
  if (isIP(named.host)) return { authority, host: named.host, port: named.port, endpoints: [named] };
  return { authority, host: named.host, dnsName: named.host, port: named.port, endpoints: [] };
}

/** A call's end, as grpc-js reports it: rejects with this. */
export type ServiceError = grpc.ServiceError;

export function serviceError(code: number, details: string, metadata = new grpc.Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${Status[code] ?? "UNKNOWN"}: ${details}`), { code, details, metadata });
}

/** The gRPC status a response without one gets, from its HTTP status (the gRPC HTTP mapping). */
function statusOfHttp(httpStatus: number): number {
  if (httpStatus === 400) return Status.INTERNAL;
  if (httpStatus === 401) return Status.UNAUTHENTICATED;
  if (httpStatus === 403) return Status.PERMISSION_DENIED;
  if (httpStatus === 404) return Status.UNIMPLEMENTED;
  if (httpStatus === 429 || httpStatus === 502 || httpStatus === 503 || httpStatus === 504) return Status.UNAVAILABLE;
  return Status.UNKNOWN;
}

/** `grpc-timeout`: at most 8 digits, so longer waits go in coarser units. */
export function grpcTimeout(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1e8) return `${whole}m`;
  const seconds = Math.ceil(whole / 1000);
  if (seconds < 1e8) return `${seconds}S`;
  return `${Math.min(Math.ceil(whole / 3_600_000), 99_999_999)}H`;
}

// ---------------------------------------------------------------------------
// One connection per address.

type SubchannelState = "idle" | "connecting" | "ready" | "failure";

class Subchannel {
  state: SubchannelState = "idle";
  session: ClientHttp2Session | undefined;
  lastError = "";
  private backoffMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private readonly activeStreams = new Map<ClientHttp2Session, number>();
  private closed = false;

  constructor(
    readonly endpoint: Endpoint,
    private readonly channel: Http2Channel,
  ) {
    this.backoffMs = channel.options.initialReconnectMs;
  }

  connect(): void {
    if (this.state !== "idle" || this.closed) return;
    this.setState("connecting");
    const { options, target } = this.channel;
    const socket: Socket =
      "path" in this.endpoint ? netConnect(this.endpoint.path) : netConnect(this.endpoint.port, this.endpoint.host);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      socket.destroy();
      this.session?.destroy();
      this.session = undefined;
      this.lastError = error.message;
      this.channel.requestResolution();
      this.backOff();
    };
    // A peer that takes the connection but never speaks HTTP/2 must not hold calls until their deadlines.
    const timeout = setTimeout(
      () => fail(new Error(`connection not ready within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    timeout.unref();
    socket.once("error", fail);
    socket.once("connect", () => {
      if (this.closed) return fail(new Error("channel closed"));
      socket.setNoDelay(true);
      const tls = options.tls;
      const transport = tls
        ? tlsConnect({
            socket,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            servername: tls.serverName ?? target.host,
            ALPNProtocols: ["h2"],
          })
        : socket;
      transport.once("error", fail);
      const start = () => {
        const session = http2Connect(`${tls ? "https" : "http"}://${target.authority}`, {
          createConnection: () => transport,
        });
        this.session = session;
        session.unref();
        session.once("error", fail);
        session.once("close", () =>
          settled ? this.onSessionGone(session, "connection closed") : fail(new Error("connection closed")),
        );
        session.once("remoteSettings", () => {
          if (settled) return;
          // `fail` stays on the sockets as a no-op: an error there ends the session, reported below.
          settled = true;
          clearTimeout(timeout);
          session.on("error", (error) => this.onSessionGone(session, error.message));
          session.on("goaway", () => this.onSessionGone(session, "server sent GOAWAY"));
          this.backoffMs = options.initialReconnectMs;
          this.startKeepalive(session);
          this.setState("ready");
        });
      };
      if (tls) transport.once("secureConnect", start);
      else start();
    });
  }

  /**
   * A stream on the ready connection (throws what session.request throws), and
   * whether that connection is gone: a stream that ends without an answer on a
   * lost connection never reached a handler (or cannot tell), so it may be retried.
   */
  request(headers: OutgoingHttpHeaders): { stream: ClientHttp2Stream; lost: () => boolean } {
    const session = this.session!;
    const stream = session.request(headers);
    // A connection with calls in flight keeps the process alive; an idle one does not.
    const active = (this.activeStreams.get(session) ?? 0) + 1;
    this.activeStreams.set(session, active);
    if (active === 1) session.ref();
    stream.once("close", () => {
      const left = this.activeStreams.get(session)! - 1;
      if (left > 0) this.activeStreams.set(session, left);
      else {
        this.activeStreams.delete(session);
        if (!session.destroyed) session.unref();
      }
    });
    return { stream, lost: () => this.session !== session || session.closed || session.destroyed };
  }

  /** The session ended, failed or is going away: new calls need a new one (in-flight ones finish on it). */
  private onSessionGone(session: ClientHttp2Session, reason: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.stopKeepalive();
    this.lastError = reason;
    if (!session.closed && !session.destroyed) session.close();
    this.setState("idle");
    this.channel.requestResolution();
    if (!this.closed) this.connect();
  }

  private startKeepalive(session: ClientHttp2Session): void {
    const { keepaliveMs, keepaliveTimeoutMs } = this.channel.options;
    this.keepalive = setInterval(() => {
      const dead = setTimeout(() => {
        session.destroy();
        this.onSessionGone(session, "keepalive ping not answered");
      }, keepaliveTimeoutMs);
      dead.unref();
      try {
        session.ping((error) => {
          clearTimeout(dead);
          if (error) this.onSessionGone(session, `keepalive ping failed: ${error.message}`);
        });
      } catch (error) {
        clearTimeout(dead);
        this.onSessionGone(session, `keepalive ping failed: ${(error as Error).message}`);
      }
    }, keepaliveMs);
    this.keepalive.unref();
  }

  private stopKeepalive(): void {
    clearInterval(this.keepalive);
    this.keepalive = undefined;
  }

  private backOff(): void {
    this.setState("failure");
    if (this.closed) return;
    const { maxReconnectMs } = this.channel.options;
    const wait = this.backoffMs * (0.8 + Math.random() * 0.4);
    this.backoffMs = Math.min(this.backoffMs * 1.6, maxReconnectMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.setState("idle");
      this.connect();
    }, wait);
    this.timer.unref();
  }

  private setState(state: SubchannelState): void {
    this.state = state;
    this.channel.onSubchannelState();
  }

  /** Stops reconnecting; `graceful` lets in-flight calls finish. */
  shutdown(graceful: boolean): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.stopKeepalive();
    const session = this.session;
    this.session = undefined;
    if (session) {
      if (graceful) session.close();
      else session.destroy();
    }
    this.state = "idle";
  }
}

// ---------------------------------------------------------------------------
// One unary call, across its attempts.

interface AttemptEnd {
  status: { code: number; details: string; metadata: grpc.Metadata };
  message?: Buffer;
  /** Response headers or a message arrived: the server handled it, never retry. */
  committed: boolean;
  /** Never reached the server (a refused stream, a session that was already going): retry without counting. */
  transparent: boolean;
}

class UnaryCall {
  private attempts = 0;
  private transparentRetries = 0;
  private stream: ClientHttp2Stream | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly channel: Http2Channel,
    private readonly headers: OutgoingHttpHeaders,
    private readonly frame: Buffer,
    private readonly options: UnaryCallOptions,
    private readonly resolve: (message: Buffer) => void,
    private readonly reject: (error: ServiceError) => void,
  ) {}

  start(): void {
    const remaining = this.options.deadline - Date.now();
    const { signal } = this.options;
    if (remaining <= 0) this.fail(Status.DEADLINE_EXCEEDED, "Deadline exceeded");
    else if (signal?.aborted) this.fail(Status.CANCELLED, "Cancelled on client");
    else {
      this.armDeadline();
      signal?.addEventListener("abort", this.onAbort, { once: true });
      this.attempt();
    }
  }

  /** setTimeout holds at most 2^31-1 ms (~24.8 days): a later deadline is waited for in steps. */
  private armDeadline(): void {
    const remaining = this.options.deadline - Date.now();
    if (remaining <= 0) this.cancel(Status.DEADLINE_EXCEEDED, "Deadline exceeded");
    else if (remaining !== Number.POSITIVE_INFINITY)
      this.timer = setTimeout(() => this.armDeadline(), Math.min(remaining, MAX_TIMER_MS));
  }

  private readonly onAbort = () => this.cancel(Status.CANCELLED, "Cancelled on client");

  /** Picks a connection (or waits for one) and sends the request on it. */
  attempt(): void {
    if (this.done) return;
    const picked = this.channel.pick(this);
    if (picked === undefined) return; // queued: the channel calls attempt() again
    if ("code" in picked) {
      this.fail(picked.code, picked.details);
      return;
    }
    const remaining = this.options.deadline - Date.now();
    if (Number.isFinite(remaining)) this.headers["grpc-timeout"] = grpcTimeout(remaining);
    let stream: ClientHttp2Stream;
    let lost: () => boolean;
    try {
      ({ stream, lost } = picked.request(this.headers));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      // The session closed or got a GOAWAY between the pick and now: nothing was sent.
      if (/SESSION|GOAWAY|STREAM_ID/.test(code)) this.retry({ transparent: true });
      else this.fail(Status.INTERNAL, `request headers refused: ${(error as Error).message}`);
      return;
    }
    this.stream = stream;
    readResponse(stream, this.channel.options.maxReceiveMessageBytes, lost, (end) => this.onAttemptEnd(stream, end));
    stream.end(this.frame);
  }

  private onAttemptEnd(stream: ClientHttp2Stream, end: AttemptEnd): void {
    if (this.done || stream !== this.stream) return;
    this.stream = undefined;
    const { status } = end;
    if (end.message) this.succeed(end.message);
    else if (end.transparent) this.retry({ transparent: true, last: status });
    else if (status.code === Status.UNAVAILABLE && !end.committed) this.retry({ transparent: false, last: status });
    else this.fail(status.code, status.details, status.metadata);
  }

  private retry({ transparent, last }: { transparent: boolean; last?: AttemptEnd["status"] }): void {
    const { maxAttempts, initialRetryBackoffMs, maxRetryBackoffMs } = this.channel.options;
    if (transparent && this.transparentRetries++ < maxAttempts) {
      this.attempt();
      return;
    }
    this.attempts++;
    const pushback = last?.metadata.get("grpc-retry-pushback-ms")[0];
    if (this.attempts >= maxAttempts || (pushback !== undefined && !/^\d+$/.test(String(pushback)))) {
      this.fail(last?.code ?? Status.UNAVAILABLE, last?.details ?? "Connection dropped", last?.metadata);
      return;
    }
    const ceiling = Math.min(initialRetryBackoffMs * 2 ** (this.attempts - 1), maxRetryBackoffMs);
    const wait = pushback !== undefined ? Number(pushback) : Math.random() * ceiling;
    setTimeout(() => this.attempt(), wait);
  }

  /** Ends the call from our side (deadline, abort, the parent call went away, the channel closed). */
  cancel(code: number, details: string): void {
    if (this.done) return;
    const stream = this.stream;
    this.stream = undefined;
    if (stream && !stream.closed) stream.close(h2.NGHTTP2_CANCEL);
    this.fail(code, details);
  }

  private succeed(message: Buffer): void {
    this.finish();
    this.resolve(message);
  }

  private fail(code: number, details: string, metadata?: grpc.Metadata): void {
    if (this.done) return;
    this.finish();
    this.reject(serviceError(code, details, metadata));
  }

  private finish(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener("abort", this.onAbort);
    this.channel.forget(this);
  }

  get waitsForReady(): boolean {
    return this.options.waitForReady;
  }
}

/**
 * Collects one response (headers, length-prefixed messages, trailers or a
 * reset) into an AttemptEnd. `lost` says whether the stream's connection is
 * gone (dropped, or a GOAWAY arrived).
 */
function readResponse(
  stream: ClientHttp2Stream,
  maxBytes: number,
  lost: () => boolean,
  onEnd: (end: AttemptEnd) => void,
): void {
  let httpStatus = 0;
  let committed = false;
  let status: AttemptEnd["status"] | undefined;
  let ended = false;
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
    if (status.code !== Status.OK) return settle({ status, committed, transparent: false });
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    const parsed = parseMessages(body, maxBytes);
    if ("code" in parsed)
      return settle({ status: { ...parsed, metadata: new grpc.Metadata() }, committed, transparent: false });
    settle({ status, message: parsed.message, committed, transparent: false });
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
    if (length >= 5 && chunks[0]!.length >= 5 && chunks[0]!.readUInt32BE(1) > maxBytes) {
      const code = httpStatus !== 200 ? statusOfHttp(httpStatus) : Status.RESOURCE_EXHAUSTED;
      const details =
        httpStatus !== 200
          ? `Received HTTP status code ${httpStatus}`
          : `Received message larger than max (${chunks[0]!.readUInt32BE(1)} vs. ${maxBytes})`;
      stream.close(h2.NGHTTP2_CANCEL);
      settle({ status: { code, details, metadata: new grpc.Metadata() }, committed, transparent: false });
    }
  });
  stream.on("end", () => {
    ended = true;
    finish();
  });
  stream.on("error", (cause) => {
    error = cause;
  });
  stream.on("close", () => {
    if (status && ended) return finish();
    if (status?.code === Status.OK) return finish();
    if (status) return settle({ status, committed, transparent: false });
    const rst = stream.rstCode;
    const metadata = new grpc.Metadata();
    if (rst === h2.NGHTTP2_REFUSED_STREAM && !committed)
      return settle({
        status: { code: Status.UNAVAILABLE, details: "Stream refused by server", metadata },
        committed,
        transparent: true,
      });
    let code: number = Status.INTERNAL;
    let details = `Received RST_STREAM with code ${rst}`;
    const socketError = error && (error as NodeJS.ErrnoException).code !== "ERR_HTTP2_STREAM_ERROR";
    if (httpStatus && httpStatus !== 200) {
      code = statusOfHttp(httpStatus);
      details = `Received HTTP status code ${httpStatus}`;
    } else if (socketError || (!committed && lost())) {
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
    settle({ status: { code, details, metadata }, committed, transparent: false });
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
  if (raw === undefined) {
    const code = httpStatus === 200 ? Status.UNKNOWN : statusOfHttp(httpStatus);
    const details = httpStatus === 200 ? "No status received" : `Received HTTP status code ${httpStatus}`;
    return { code, details, metadata };
  }
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

// ---------------------------------------------------------------------------
// The channel: addresses, picking, waiting calls.

export class Http2Channel {
  readonly options: Http2ChannelOptions;
  private readonly subchannels = new Map<string, Subchannel>();
  private ready: Subchannel[] = [];
  private next = 0;
  private readonly waiting = new Set<UnaryCall>();
  /** Every address failed and none is up again: calls that do not wait fail at once (grpc-js's sticky TRANSIENT_FAILURE). */
  private failing = false;
  private started = false;
  private closed = false;
  private resolving = false;
  private lastResolution = 0;
  private resolveTimer: ReturnType<typeof setTimeout> | undefined;
  private resolutionError = "";
  private resolveBackoffMs: number;
  private readonly baseHeaders: OutgoingHttpHeaders;

  constructor(
    readonly target: ParsedTarget,
    options: Partial<Http2ChannelOptions> & { tls?: GrpcTls | null | undefined } = {},
  ) {
    this.options = { ...HTTP2_CHANNEL_DEFAULTS, ...options };
    this.resolveBackoffMs = this.options.initialReconnectMs;
    this.baseHeaders = {
      ":method": "POST",
      ":scheme": this.options.tls ? "https" : "http",
      ":authority": target.authority,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-accept-encoding": "identity",
      "user-agent": "platform-kit-http2",
    };
  }

  /**
   * Calls `path` with the serialized request; resolves with the response's
   * bytes, or rejects with a grpc.ServiceError-shaped error.
   */
  unary(
    path: string,
    request: Uint8Array,
    metadata: Record<string, string>,
    options: UnaryCallOptions,
  ): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(serviceError(Status.UNAVAILABLE, "Channel has been shut down"));
      const frame = Buffer.allocUnsafe(5 + request.length);
      frame[0] = 0;
      frame.writeUInt32BE(request.length, 1);
      frame.set(request, 5);
      const headers: OutgoingHttpHeaders = { ...this.baseHeaders, ":path": path, ...metadata };
      new UnaryCall(this, headers, frame, options, resolve, reject).start();
    });
  }

  /** A ready connection, undefined when the call was queued, or the status to fail it with. */
  pick(call: UnaryCall): Subchannel | { code: number; details: string } | undefined {
    if (this.closed) return { code: Status.UNAVAILABLE, details: "Channel has been shut down" };
    if (this.ready.length > 0) {
      const subchannel = this.ready[this.next++ % this.ready.length]!;
      if (subchannel.session && !subchannel.session.closed && !subchannel.session.destroyed) return subchannel;
    }
    this.start();
    if (this.failing && !call.waitsForReady) return { code: Status.UNAVAILABLE, details: this.failure() };
    this.waiting.add(call);
    return undefined;
  }

  forget(call: UnaryCall): void {
    this.waiting.delete(call);
  }

  private failure(): string {
    const errors = [...this.subchannels.values()].map((s) => s.lastError).filter(Boolean);
    const last = errors.at(-1) ?? this.resolutionError;
    return `No connection established. Last error: ${last || "unknown"}`;
  }

  /** The first call connects: a channel nobody uses opens nothing. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    if (this.target.dnsName) this.requestResolution();
    else this.setEndpoints(this.target.endpoints);
  }

  onSubchannelState(): void {
    if (this.closed) return;
    const all = [...this.subchannels.values()];
    this.ready = all.filter((s) => s.state === "ready");
    if (this.ready.length > 0) {
      this.failing = false;
      const waiting = [...this.waiting];
      this.waiting.clear();
      for (const call of waiting) call.attempt();
    } else if (all.length > 0 && all.every((s) => s.state === "failure")) {
      this.enterFailure();
    }
  }

  private enterFailure(): void {
    this.failing = true;
    for (const call of [...this.waiting]) if (!call.waitsForReady) call.attempt();
  }

  /**
   * Looks the DNS name up again: at most once per minResolveIntervalMs while
   * some address is up, at once when none is (a rollout replaced every pod),
   * and with backoff while the lookup fails.
   */
  requestResolution(): void {
    const dnsName = this.target.dnsName;
    if (!dnsName || this.resolving || this.resolveTimer || this.closed) return;
    const interval = this.ready.length > 0 ? this.options.minResolveIntervalMs : 0;
    const wait = this.lastResolution + interval - Date.now();
    if (this.lastResolution > 0 && wait > 0) {
      this.resolveLater(wait);
      return;
    }
    this.resolving = true;
    this.options.lookup(dnsName).then(
      (found) => {
        this.resolving = false;
        this.lastResolution = Date.now();
        this.resolveBackoffMs = this.options.initialReconnectMs;
        this.resolutionError = "";
        this.setEndpoints(found.map(({ address }) => ({ host: address, port: this.target.port })));
      },
      (error: Error) => {
        this.resolving = false;
        this.resolutionError = `Name resolution failed for target ${dnsName}: ${error.message}`;
        if (this.subchannels.size === 0) this.enterFailure();
        this.resolveLater(this.resolveBackoffMs);
        this.resolveBackoffMs = Math.min(this.resolveBackoffMs * 1.6, this.options.maxReconnectMs);
      },
    );
  }

  private resolveLater(wait: number): void {
    this.resolveTimer = setTimeout(() => {
      this.resolveTimer = undefined;
      this.requestResolution();
    }, wait);
    this.resolveTimer.unref();
  }

  private setEndpoints(endpoints: Endpoint[]): void {
    if (this.closed) return;
    const key = (e: Endpoint) => ("path" in e ? e.path : `${e.host}|${e.port}`);
    const wanted = new Map(endpoints.map((e) => [key(e), e]));
    for (const [k, subchannel] of this.subchannels) {
      if (!wanted.has(k)) {
        this.subchannels.delete(k);
        subchannel.shutdown(true);
      }
    }
    for (const [k, endpoint] of wanted) {
      if (!this.subchannels.has(k)) this.subchannels.set(k, new Subchannel(endpoint, this));
    }
    if (this.subchannels.size === 0) {
      this.resolutionError = `Name resolution for ${this.target.authority} found no addresses`;
      this.enterFailure();
      return;
    }
    for (const subchannel of this.subchannels.values()) subchannel.connect();
    this.onSubchannelState();
  }

  /** Closes every connection (in-flight calls finish) and fails waiting calls. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.resolveTimer);
    for (const subchannel of this.subchannels.values()) subchannel.shutdown(true);
    this.subchannels.clear();
    this.ready = [];
    for (const call of [...this.waiting]) call.cancel(Status.UNAVAILABLE, "Channel has been shut down");
    this.waiting.clear();
  }
}
