// The streaming sibling of unary(): `async (request, ctx, send) => void`, where
// the stream ends when the handler resolves, fails through the same error
// table when it throws, and ctx.signal aborts when the client goes away.
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import type { Logger } from "./logger";
import { bindServerCall, REQUEST_ID_HEADER, type CallContext } from "./requestContext";
import { traceIdOf } from "./tracing";
import { runHandler, toStatusObject } from "./unary";

export interface StreamContext extends CallContext {
  /** Aborted when the client cancels or disconnects. */
  signal: AbortSignal;
}

export type ServerStreamHandler<Req, Res> = (
  request: Req,
  ctx: StreamContext,
  send: (message: Res) => void,
) => Promise<void>;

export function serverStream<Req, Res>(
  method: string,
  logger: Logger,
  handler: ServerStreamHandler<Req, Res>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const requestId = String(call.metadata.get(REQUEST_ID_HEADER)[0] ?? "") || randomUUID();
    const traceId = traceIdOf();
    const log = logger.child(traceId ? { requestId, traceId, method } : { requestId, method });
    const deadline = call.getDeadline();
    const aborter = new AbortController();
    call.on("cancelled", () => aborter.abort());
    call.on("close", () => aborter.abort());
    const ctx: StreamContext = {
      requestId,
      traceId,
      logger: log,
      deadline: deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined,
      signal: aborter.signal,
    };
    // Calls the handler makes pass this call as `parent` (ServiceClient): its deadline and cancellation propagate.
    bindServerCall(ctx, call);
    // Whatever goes wrong while ending the stream is logged and ends it INTERNAL: nothing escapes into grpc-js.
    const answer = (send: () => void) => {
      try {
        send();
      } catch (error) {
        log.error({ err: error }, "ending the stream failed; ending it INTERNAL");
        try {
          call.emit("error", { code: grpc.status.INTERNAL, details: "internal error" });
        } catch (again) {
          log.error({ err: again }, "ending the stream INTERNAL failed too");
        }
      }
    };
    runHandler(() =>
      handler(call.request, ctx, (message) => {
        if (!aborter.signal.aborted) call.write(message);
      }),
    ).then(
      () =>
        answer(() => {
          if (!aborter.signal.aborted) call.end();
        }),
      (error: unknown) =>
        answer(() => {
          if (aborter.signal.aborted) return;
          const status = toStatusObject(error);
          if (status.code === grpc.status.INTERNAL) log.error({ err: error }, "stream failed");
          call.emit("error", status);
        }),
    );
  };
}
