// One unary call across its attempts: the deadline, cancellation, a connection
// picked for each attempt, and retries (UNAVAILABLE that nothing handled, with
// backoff and pushback; refused streams without counting).
import * as grpc from "@grpc/grpc-js";
import { type ClientHttp2Stream, constants as h2, type OutgoingHttpHeaders } from "node:http2";
import type { Http2ChannelOptions, UnaryCallOptions } from "./channel";
import { type AttemptEnd, readResponse, type ServiceError, serviceError } from "./response";
import type { Subchannel } from "./subchannel";

const Status = grpc.status;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a call needs of its channel. */
export interface CallRouter {
  readonly options: Http2ChannelOptions;
  /** A ready connection, undefined when the call was queued (attempt() is called again), or the status to fail it with. */
  pick(call: UnaryCall): Subchannel | { code: number; details: string } | undefined;
  /** The call ended: it waits for nothing any more. */
  forget(call: UnaryCall): void;
}

/** `grpc-timeout`: at most 8 digits, so longer waits go in coarser units. */
export function grpcTimeout(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1e8) return `${whole}m`;
  const seconds = Math.ceil(whole / 1000);
  if (seconds < 1e8) return `${seconds}S`;
  return `${Math.min(Math.ceil(whole / 3_600_000), 99_999_999)}H`;
}

/** The calls of this turn of the event loop after its first, to go out together; undefined before the first. */
let startedThisTurn: UnaryCall[] | undefined;

/**
 * Sends `call`'s first attempt: the first call of a turn of the event loop at once, the
 * ones after it together, from one callback at the end of the turn. Bun's HTTP/2 sends
 * what one callback wrote on a connection as one send(2) once the callback returns, and
 * a server (Bun.serve, ours) hands each request to its handler in a callback of its own:
 * under load one turn serves many requests, and their calls to a service then cost two
 * sends, and two wakeups of it, instead of one each, while a lone call waits for nothing.
 * (That buffer holds one connection's frames at a time: calls to several connections
 * cost a send per switch, never more than one a call.) A call that ended meanwhile
 * (its deadline, its signal) sends nothing.
 */
function sendWithThisTurn(call: UnaryCall): void {
  if (startedThisTurn) {
    startedThisTurn.push(call);
    return;
  }
  const calls: UnaryCall[] = [];
  startedThisTurn = calls;
  setImmediate(sendStartedCalls, calls);
  call.attempt();
}

function sendStartedCalls(calls: UnaryCall[]): void {
  startedThisTurn = undefined;
  for (const call of calls) {
    try {
      call.attempt();
    } catch (error) {
      // Nothing may escape into the event loop, and the rest must still go out.
      call.cancel(Status.INTERNAL, `sending the call failed: ${(error as Error).message}`);
    }
  }
}

export class UnaryCall {
  private attempts = 0;
  private transparentRetries = 0;
  private stream: ClientHttp2Stream | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly channel: CallRouter,
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
      sendWithThisTurn(this);
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
