// Metrics, trace context and request ids for every gRPC call a service serves,
// applied once in the server bootstrap so every handler (unary or streaming)
// is covered without knowing about it.
import * as grpc from "@grpc/grpc-js";
import type { TextMapGetter, TextMapSetter } from "@opentelemetry/api";
import { context, propagation } from "@opentelemetry/api";
import { grpcServerMetrics, type MetricCell, splitMethodPath } from "./metrics";
import { endRpcSpan, extractContext, SpanKind, startSpan, TRACEPARENT_HEADER, tracingEnabled } from "./tracing";

export const metadataGetter: TextMapGetter<grpc.Metadata> = {
  get: (metadata, key) => {
    const values = metadata.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
  keys: (metadata) => Object.keys(metadata.getMap()),
};

export const metadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/** Writes the active trace context (if any) into outgoing metadata. */
export function injectTraceContext(metadata: grpc.Metadata): grpc.Metadata {
  propagation.inject(context.active(), metadata, metadataSetter);
  return metadata;
}

// biome-ignore lint/suspicious/noExplicitAny: unary and streaming handlers take different call types
type AnyHandler = (call: any, callback?: grpc.sendUnaryData<unknown>) => void;

function callType(definition: grpc.MethodDefinition<unknown, unknown>): string {
  if (definition.requestStream) return definition.responseStream ? "bidi_stream" : "client_stream";
  return definition.responseStream ? "server_stream" : "unary";
}

/** Wraps one handler: counts and times it by final status, runs it inside its trace context. */
function instrumentHandler(definition: grpc.MethodDefinition<unknown, unknown>, handler: AnyHandler): AnyHandler {
  const [service, method] = splitMethodPath(definition.path);
  const type = callType(definition);
  const labels = { grpc_service: service, grpc_method: method, grpc_type: type };
  const spanName = definition.path.slice(1);
  const attributes = { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method };
  // The method's metric series, found once: a call only adds to numbers.
  const started = grpcServerMetrics.startedCells.cell(definition.path, () => labels);
  const inFlight = grpcServerMetrics.inFlightCells.cell(definition.path, () => ({
    grpc_service: service,
    grpc_method: method,
  }));
  const byCode = new Map<number, { handled: MetricCell; labels: Record<string, string> }>();
  const seriesFor = (code: number) => {
    let series = byCode.get(code);
    if (!series) {
      const codeLabels = { ...labels, grpc_code: grpc.status[code] ?? String(code) };
      series = {
        handled: grpcServerMetrics.handledCells.cell(`${definition.path} ${code}`, () => codeLabels),
        labels: codeLabels,
      };
      byCode.set(code, series);
    }
    return series;
  };

  return (
    call: grpc.ServerUnaryCall<unknown, unknown> & NodeJS.EventEmitter,
    callback?: grpc.sendUnaryData<unknown>,
  ) => {
    const startedAt = performance.now();
    started.value++;
    inFlight.value++;
    const hasParent = call.metadata.get(TRACEPARENT_HEADER).length > 0;
    // Tracing off and no traceparent: no context work at all.
    const traced = hasParent || tracingEnabled();
    const parent = extractContext(call.metadata, metadataGetter, hasParent);
    const { span, ctx } = traced
      ? startSpan(spanName, SpanKind.SERVER, parent, attributes)
      : { span: undefined, ctx: parent };

    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      const series = seriesFor(code);
      series.handled.value++;
      grpcServerMetrics.seconds.observe(series.labels, (performance.now() - startedAt) / 1000);
      inFlight.value--;
      endRpcSpan(span, code, SpanKind.SERVER);
    };

    let wrappedCallback: grpc.sendUnaryData<unknown> | undefined;
    if (callback) {
      wrappedCallback = (error, value, trailer, flags) => {
        finish(error ? ((error as Partial<grpc.StatusObject>).code ?? grpc.status.UNKNOWN) : grpc.status.OK);
        callback(error, value, trailer, flags);
      };
    } else {
      // Server-streaming and bidi calls end with the stream: OK on finish, the error's code otherwise.
      let code: number = grpc.status.OK;
      call.on("error", (error: Partial<grpc.StatusObject>) => (code = error.code ?? grpc.status.UNKNOWN));
      call.on("finish", () => finish(code));
    }
    call.on("cancelled", () => finish(grpc.status.CANCELLED));

    if (!traced) return handler(call, wrappedCallback);
    return context.with(ctx, () => handler(call, wrappedCallback));
  };
}

/** The service implementation with every method instrumented. */
export function instrumentService(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
): grpc.UntypedServiceImplementation {
  const instrumented: grpc.UntypedServiceImplementation = { ...implementation };
  for (const [name, method] of Object.entries(definition)) {
    const original = (method as { originalName?: string }).originalName;
    for (const key of [name, original]) {
      const handler = key === undefined ? undefined : implementation[key];
      if (key !== undefined && typeof handler === "function")
        instrumented[key] = instrumentHandler(method, handler as AnyHandler) as grpc.UntypedHandleCall;
    }
  }
  return instrumented;
}
