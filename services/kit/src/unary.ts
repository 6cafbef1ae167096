// Adapts `async (request, ctx) => response` handlers to grpc-js unary calls,
// so no handler ever touches a callback, and every error leaves through one table.
// Metrics and trace context are applied around every handler by startGrpcServer.
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import { InvalidArgumentError, toGrpcError } from "./errors";
import type { Logger } from "./logger";
import { bindServerCall, FIELD_VIOLATIONS_HEADER, REQUEST_ID_HEADER, type CallContext } from "./requestContext";
import { traceIdOf } from "./tracing";

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

export function unary<Req, Res>(method: string, logger: Logger, handler: UnaryHandler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = performance.now();
    const requestId = String(call.metadata.get(REQUEST_ID_HEADER)[0] ?? "") || randomUUID();
    const traceId = traceIdOf();
    const log = logger.child(traceId ? { requestId, traceId, method } : { requestId, method });
    const deadline = call.getDeadline();
    const ctx: CallContext = {
      requestId,
      traceId,
      logger: log,
      deadline: deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined,
    };
    bindServerCall(ctx, call);
    handler(call.request, ctx).then(
      (response) => {
        log.debug({ code: "OK", ms: Math.round(performance.now() - started) }, "call served");
        callback(null, response);
      },
      (error: unknown) => {
        const { code, details } = toGrpcError(error);
        const metadata = new grpc.Metadata();
        if (error instanceof InvalidArgumentError) metadata.set(FIELD_VIOLATIONS_HEADER, JSON.stringify(error.violations));
        if (code === grpc.status.INTERNAL) log.error({ err: error }, "call failed");
        else log.debug({ code: grpc.status[code] ?? code, details }, "call rejected");
        callback({ code, details, metadata });
      },
    );
  };
}
