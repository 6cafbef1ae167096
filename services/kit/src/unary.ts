// Adapts `async (request, ctx) => response` handlers to grpc-js unary calls,
// so no handler ever touches a callback, and every error leaves through one table.
// Metrics and trace context are applied around every handler by startGrpcServer.
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import { InvalidArgumentError, toGrpcError } from "./errors";
import { lazyChild, type Logger } from "./logger";
import { bindServerCall, REQUEST_ID_HEADER, type CallContext } from "./requestContext";
import { fieldViolationsMetadata } from "./statusDetails";
import { traceIdOf } from "./tracing";

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

export function unary<Req, Res>(
  method: string,
  logger: Logger,
  handler: UnaryHandler<Req, Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = performance.now();
    const requestId = String(call.metadata.get(REQUEST_ID_HEADER)[0] ?? "") || randomUUID();
    const traceId = traceIdOf();
    // The call's child logger is made when something is logged at an enabled level
    // (lazyChild): building one costs more than many a handler.
    let child: Logger | undefined;
    const log = () =>
      (child ??= lazyChild(logger, () => (traceId ? { requestId, traceId, method } : { requestId, method })));
    const deadline = call.getDeadline();
    // The signal is made when a handler asks for it, and aborts only while the call is
    // unanswered: grpc-js reports every stream's close as "cancelled", answered calls'
    // too, and each abort would make an AbortError (with its stack) for nobody.
    let aborter: AbortController | undefined;
    let answered = false;
    const cancelled = () => {
      if (!answered) aborter?.abort();
    };
    const ctx: CallContext = {
      get signal() {
        if (!aborter) {
          aborter = new AbortController();
          if (call.cancelled) aborter.abort();
          else call.on("cancelled", cancelled);
        }
        return aborter.signal;
      },
      requestId,
      traceId,
      get logger() {
        return log();
      },
      deadline: deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined,
    };
    bindServerCall(ctx, call);
    // Whatever goes wrong while answering (encoding the error, serializing the
    // response) is logged and answered INTERNAL: nothing escapes into grpc-js.
    const answer = (send: () => void) => {
      answered = true;
      try {
        send();
      } catch (error) {
        log().error({ err: error }, "answering the call failed; answering INTERNAL");
        try {
          callback({ code: grpc.status.INTERNAL, details: "internal error" });
        } catch (again) {
          log().error({ err: again }, "answering INTERNAL failed too");
        }
      }
    };
    runHandler(() => handler(call.request, ctx)).then(
      (response) =>
        answer(() => {
          if (logger.isLevelEnabled("debug"))
            log().debug({ code: "OK", ms: Math.round(performance.now() - started) }, "call served");
          callback(null, response);
        }),
      (error: unknown) =>
        answer(() => {
          // A handler that stopped because its caller went away (its signal's reason) did not fail.
          const status =
            aborter?.signal.aborted && error === aborter.signal.reason
              ? { code: grpc.status.CANCELLED, details: "cancelled by the caller" }
              : toStatusObject(error);
          if (status.code === grpc.status.INTERNAL) log().error({ err: error }, "call failed");
          else if (logger.isLevelEnabled("debug"))
            log().debug({ code: grpc.status[status.code] ?? status.code, details: status.details }, "call rejected");
          callback(status);
        }),
    );
  };
}

/** Runs a handler so that a synchronous throw becomes a rejection like any other. */
export function runHandler<T>(handler: () => Promise<T>): Promise<T> {
  try {
    return handler();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The status a failed handler leaves with: the domain-error table's code and
 * (bounded) message, and for INVALID_ARGUMENT the field violations as a
 * google.rpc.BadRequest in grpc-status-details-bin.
 */
export function toStatusObject(error: unknown): Partial<grpc.StatusObject> & { code: grpc.status; details: string } {
  const { code, details } = toGrpcError(error);
  if (error instanceof InvalidArgumentError)
    return { code, details, metadata: fieldViolationsMetadata(code, details, error.violations) };
  return { code, details, metadata: new grpc.Metadata() };
}
