// OpenTelemetry tracing by hand (no auto-instrumentation: its require hooks do
// not apply under Bun). W3C trace context is always understood and passed on;
// spans are recorded and exported over OTLP/HTTP (JSON) only when
// OTEL_EXPORTER_OTLP_ENDPOINT is set. With tracing off the per-call cost is a
// look for a `traceparent` header.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { z } from "zod";
import type { Logger } from "./logger";

export const TRACEPARENT_HEADER = "traceparent";

/** The tracing settings every process reads (standard OpenTelemetry variable names). */
export const tracingConfigShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: "must be a URL such as http://otel-collector:4318" }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(5_000),
};
export type TracingConfig = z.output<z.ZodObject<typeof tracingConfigShape>>;

let propagationInstalled = false;
let enabled = false;

/** Registers the AsyncLocalStorage context manager and the W3C propagator (cheap, once). */
export function installContextPropagation(): void {
  if (propagationInstalled) return;
  propagationInstalled = true;
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** True when spans are recorded and exported in this process. */
export const tracingEnabled = () => enabled;

export interface Tracing {
  enabled: boolean;
  /** Exports what is buffered and stops; call last on shutdown. */
  shutdown(): Promise<void>;
}

export async function startTracing(serviceName: string, config: TracingConfig, logger: Logger): Promise<Tracing> {
  installContextPropagation();
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return { enabled: false, shutdown: async () => {} };
  // Loaded only when exporting: a process with tracing off never pays for the SDK.
  const [
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider },
  ] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace"),
  ]);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": config.OTEL_SERVICE_NAME ?? serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` }),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  logger.info({ endpoint, sampleRatio: config.OTEL_TRACES_SAMPLER_ARG }, "tracing: exporting spans over OTLP");
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown().catch((error: unknown) => logger.warn({ err: error }, "tracing: final export failed"));
    },
  };
}

export const tracer = () => trace.getTracer("@platform/kit");

/** The trace id of the active (or given) context, for log lines; undefined outside a trace. */
export function traceIdOf(ctx: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** Reads a carrier (HTTP headers, gRPC metadata) into a context when it carries a traceparent. */
export function extractContext<C>(carrier: C, getter: TextMapGetter<C>, has: boolean): Context {
  if (!has) return ROOT_CONTEXT;
  installContextPropagation();
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
}

/** Starts a span when tracing is on; the context to run the work in either way. */
export function startSpan(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number> = {},
): { span: Span | undefined; ctx: Context } {
  if (!enabled) return { span: undefined, ctx: parent };
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** gRPC codes that mean the server failed (the OTel rule for server spans). */
const SERVER_FAULTS = new Set([2, 4, 12, 13, 14, 15]); // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS

export function endRpcSpan(span: Span | undefined, code: number, kind: SpanKind): void {
  if (!span) return;
  span.setAttribute("rpc.grpc.status_code", code);
  if (kind === SpanKind.CLIENT ? code !== 0 : SERVER_FAULTS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

export { SpanKind };
