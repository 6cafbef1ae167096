// One connection per address: connects (TCP, then TLS when asked, then HTTP/2
// up to the server's SETTINGS), keeps it alive with pings, notices when it goes
// (dropped, GOAWAY, unanswered ping) and connects again, with backoff after a
// failed try.
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as http2Connect,
  type OutgoingHttpHeaders,
} from "node:http2";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Http2ChannelOptions } from "./channel";
import { type Endpoint, endpointAddress, type ParsedTarget } from "./target";

/** What a subchannel needs of the channel that owns it. */
export interface SubchannelOwner {
  readonly options: Http2ChannelOptions;
  readonly target: ParsedTarget;
  /** A subchannel's state changed: pick again, flush or fail waiting calls. */
  onSubchannelState(): void;
  /** A connection went or failed: the addresses may have changed. */
  requestResolution(): void;
}

export type SubchannelState = "idle" | "connecting" | "ready" | "failure";

export class Subchannel {
  state: SubchannelState = "idle";
  session: ClientHttp2Session | undefined;
  lastError = "";
  /** A failure to connect has been told (warn); the next success is told too (info). */
  private unreachable = false;
  private backoffMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private readonly activeStreams = new Map<ClientHttp2Session, number>();
  private closed = false;

  /** host:port (or the socket path): what logs name it by. */
  readonly address: string;

  constructor(
    readonly endpoint: Endpoint,
    private readonly channel: SubchannelOwner,
  ) {
    this.backoffMs = channel.options.initialReconnectMs;
    this.address = endpointAddress(endpoint);
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
      const fields = { address: this.address, error: error.message };
      if (this.unreachable) this.channel.options.log.debug(fields, "gRPC connection failed again");
      else this.channel.options.log.warn(fields, "gRPC connection failed");
      this.unreachable = true;
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
          if (this.unreachable) options.log.info({ address: this.address }, "gRPC connection restored");
          else options.log.debug({ address: this.address }, "gRPC connection ready");
          this.unreachable = false;
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
    // A server closing a connection (GOAWAY, max connection age) is routine; a dead one is not.
    const level = reason.startsWith("keepalive") ? "warn" : "debug";
    this.channel.options.log[level]({ address: this.address, reason }, "gRPC connection gone");
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

  /** Stops reconnecting; calls in flight finish on the connection, which then closes. */
  shutdown(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.stopKeepalive();
    this.session?.close();
    this.session = undefined;
    this.state = "idle";
  }
}
