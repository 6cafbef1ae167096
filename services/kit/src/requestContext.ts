// What a handler knows about the call it serves, without touching grpc-js.
import type { CallOptions } from "@grpc/grpc-js";
import type { Logger } from "./logger";

export const REQUEST_ID_HEADER = "x-request-id";

export interface CallContext {
  requestId: string;
  /** A child of the process logger carrying requestId, traceId (when traced) and method. */
  logger: Logger;
  /** When the caller stops waiting; pass it on to downstream calls. */
  deadline: Date | undefined;
  /** The trace this call belongs to, when it has one. */
  traceId?: string | undefined;
  /** Aborts when the caller cancels the call or goes away (set for served calls). */
  signal?: AbortSignal | undefined;
}

// The grpc-js call behind a context, for `{ parent: call }` on downstream calls,
// kept out of the interface so handlers never reach for it.
type ServerSurfaceCall = NonNullable<CallOptions["parent"]>;
const serverCalls = new WeakMap<CallContext, ServerSurfaceCall>();

export function bindServerCall(ctx: CallContext, call: ServerSurfaceCall): void {
  serverCalls.set(ctx, call);
}

export function serverCallOf(ctx: CallContext): ServerSurfaceCall | undefined {
  return serverCalls.get(ctx);
}
