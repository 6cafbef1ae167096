// A resource's server-sent events, read by the typed client (Eden parses the
// stream; fetch() rather than EventSource, which cannot send an Authorization
// header, and the token must not go into a URL: logs, history, referrers).
// Reconnects after the server ends a stream, no sooner than every few seconds,
// and reports the stream's state for the live-updates line.
import { ApiError, streamEvents, type TreatyResult } from "@platform/client";
import { endSessionOn401 } from "./api";
import { session } from "./session";

export type StreamState = "connecting" | "live" | "reconnecting" | "ended";

export interface StreamOptions<T> {
  /** Opens one stream (a typed client call given the signal that ends it). */
  open(signal: AbortSignal): Promise<TreatyResult<unknown>>;
  /** Each event's data; return true when nothing more is wanted (the stream stops). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that wants every event returns nothing
  onEvent(data: T): boolean | void;
  onState?(state: StreamState, error?: unknown): void;
  /** Wait before reconnecting, in ms (at least a few seconds). */
  retryMs?: number;
}

/** Follows the stream until stopped (the returned function) or a refusal; returns the stop function. */
export function openEventStream<T>(options: StreamOptions<T>): () => void {
  const abort = new AbortController();
  let done = false;
  const stop = () => {
    done = true;
    abort.abort();
  };
  void (async () => {
    let first = true;
    while (!done) {
      options.onState?.(first ? "connecting" : "reconnecting");
      first = false;
      const token = session.current?.token;
      try {
        let live = false;
        for await (const data of streamEvents<T>(options.open(abort.signal))) {
          if (done) break;
          if (!live) options.onState?.("live");
          live = true;
          if (options.onEvent(data) === true) stop();
        }
      } catch (error) {
        if (done) break;
        endSessionOn401(error, token);
        // 4xx other than a timeout will not get better by retrying (401 has ended the session).
        if (
          error instanceof ApiError &&
          error.status >= 400 &&
          error.status < 500 &&
          error.status !== 408 &&
          error.status !== 429
        ) {
          options.onState?.("ended", error);
          return;
        }
      }
      if (done) break;
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 3_000));
    }
    options.onState?.("ended");
  })();
  return stop;
}
