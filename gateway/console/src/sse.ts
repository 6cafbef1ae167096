// Server-sent events over fetch(): EventSource cannot send an Authorization
// header, and the token must not go into a URL (logs, history, referrers).
// Reads the stream, parses `event:`/`data:` frames, and reconnects after the
// server ends it, no sooner than every few seconds.
import { send, ApiError } from "./api";

export type StreamState = "connecting" | "live" | "reconnecting" | "ended";

export interface StreamOptions {
  /** Each event's JSON data; return true when nothing more is wanted (the stream stops). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that wants every event returns nothing
  onEvent(data: unknown, event: string): boolean | void;
  onState?(state: StreamState, error?: unknown): void;
  /** Wait before reconnecting, in ms (at least a few seconds). */
  retryMs?: number;
}

export function openEventStream(path: string, options: StreamOptions): () => void {
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
      try {
        const response = await send("GET", path, undefined, { signal: abort.signal, accept: "text/event-stream" });
        if (!response.body) throw new Error("the stream has no body");
        options.onState?.("live");
        await readFrames(response.body, (event, data) => {
          if (done) return;
          let parsed: unknown;
          try {
            parsed = JSON.parse(data);
          } catch {
            return;
          }
          if (options.onEvent(parsed, event) === true) stop();
        });
      } catch (error) {
        if (done) break;
        // 4xx other than a timeout will not get better by retrying (401 already ended the session).
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

async function readFrames(
  body: ReadableStream<Uint8Array>,
  onFrame: (event: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        if (data.length > 0) onFrame(event, data.join("\n"));
        event = "message";
        data = [];
      } else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      else if (line.startsWith("event:")) event = line.slice(6).trim();
      // comments (": keep-alive") and other fields are ignored
    }
  }
}
