// Unary gRPC calls straight on node:http2: what grpc-js's channel does for a
// unary call (resolve the target, round robin over every address, reconnect
// with backoff, keepalive pings, GOAWAY, retry UNAVAILABLE that nothing
// answered, deadlines, cancellation, status and trailing metadata, mutual TLS)
// at about a third of its CPU per call on Bun (bench/ab/grpcFloor.ts and
// rawHop.ts measure it). ServiceClient makes its unary calls here; streams, and
// the target kinds parseTarget does not take, stay on grpc-js.
//
// This file: the addresses of a target, picking a connection for each call and
// the calls waiting for one. subchannel.ts: one connection per address.
// unaryCall.ts: one call across its attempts. response.ts: reading an answer.
import * as grpc from "@grpc/grpc-js";
import { lookup } from "node:dns/promises";
import type { OutgoingHttpHeaders } from "node:http2";
import type { GrpcTls } from "../grpcTls";
import { lengthPrefixed } from "./frame";
import { serviceError } from "./response";
import { Subchannel, type SubchannelOwner } from "./subchannel";
import { type Endpoint, endpointAddress, type ParsedTarget } from "./target";
import { type CallRouter, UnaryCall } from "./unaryCall";

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
  /** Where connection and resolution changes are told (ServiceClient passes its logger); by default nowhere. */
  log: ChannelLog;
}

/**
 * What the channel tells, once per change and never per call: an address that
 * stops answering (warn) and answers again (info), a name whose addresses
 * change (info) or cannot be resolved (warn); routine reconnects at debug.
 */
export type ChannelLog = Record<"debug" | "info" | "warn", (fields: Record<string, unknown>, message: string) => void>;

const SILENT: ChannelLog = { debug: () => {}, info: () => {}, warn: () => {} };

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
  log: SILENT,
};

export interface UnaryCallOptions {
  deadline: number;
  /** Wait for a connection instead of failing while every address is down (bounded by the deadline). */
  waitForReady: boolean;
  /** Cancels the call (CANCELLED). */
  signal?: AbortSignal | undefined;
}

export class Http2Channel implements SubchannelOwner, CallRouter {
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
      const headers: OutgoingHttpHeaders = { ...this.baseHeaders, ":path": path, ...metadata };
      new UnaryCall(this, headers, lengthPrefixed(request), options, resolve, reject).start();
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
        if (this.resolutionError) this.options.log.info({ name: dnsName }, "gRPC target resolves again");
        this.resolutionError = "";
        const addresses = [...new Set(found.map(({ address }) => address))].sort();
        if (this.setEndpoints(addresses.map((host) => ({ host, port: this.target.port }))))
          this.options.log.info({ name: dnsName, addresses }, "gRPC target resolved");
      },
      (error: Error) => {
        this.resolving = false;
        if (!this.resolutionError)
          this.options.log.warn({ name: dnsName, error: error.message }, "gRPC target does not resolve");
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

  /** One subchannel per endpoint, by address: new ones connect, gone ones close. Whether anything changed. */
  private setEndpoints(endpoints: Endpoint[]): boolean {
    if (this.closed) return false;
    const wanted = new Map(endpoints.map((e) => [endpointAddress(e), e]));
    let changed = false;
    for (const [address, subchannel] of this.subchannels) {
      if (!wanted.has(address)) {
        this.subchannels.delete(address);
        subchannel.shutdown();
        changed = true;
      }
    }
    for (const [address, endpoint] of wanted) {
      if (!this.subchannels.has(address)) {
        this.subchannels.set(address, new Subchannel(endpoint, this));
        changed = true;
      }
    }
    if (this.subchannels.size === 0) {
      this.resolutionError = `Name resolution for ${this.target.authority} found no addresses`;
      this.enterFailure();
      return changed;
    }
    for (const subchannel of this.subchannels.values()) subchannel.connect();
    this.onSubchannelState();
    return changed;
  }

  /** Closes every connection (in-flight calls finish) and fails waiting calls. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.resolveTimer);
    for (const subchannel of this.subchannels.values()) subchannel.shutdown();
    this.subchannels.clear();
    this.ready = [];
    for (const call of [...this.waiting]) call.cancel(Status.UNAVAILABLE, "Channel has been shut down");
    this.waiting.clear();
  }
}
