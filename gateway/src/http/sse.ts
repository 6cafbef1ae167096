// Server-sent events, as the gateway's streams write them.
import type { Server } from "bun";
const encoder = new TextEncoder();

/** One event: `data:` is the JSON of `data`; `event:` names it when it is not a plain message. */
export const sseEvent = (data: unknown, name?: string): Uint8Array =>
  encoder.encode(`${name ? `event: ${name}\n` : ""}data: ${JSON.stringify(data)}\n\n`);

/** A comment line that keeps a quiet stream from looking idle. */
export const SSE_KEEP_ALIVE = encoder.encode(": keep-alive\n\n");

/**
 * How often a quiet stream sends SSE_KEEP_ALIVE: well inside Envoy's stream
 * idle limit (60 s) and common proxies' (nginx: 60 s), so none of them closes
 * a stream that simply has nothing new; it also finds clients that are gone.
 */
export const SSE_KEEP_ALIVE_MS = 15_000;

export const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
} as const;

/**
 * Exempts a streaming response from the server's idle timeout: Bun counts only
 * what the client sends as activity, so without this a quiet stream is cut after
 * HTTP_IDLE_TIMEOUT_SECONDS even while keep-alives flow.
 */
export function keepStreamOpen(server: Server<unknown> | null, request: Request): void {
  server?.timeout(request, 0);
}
