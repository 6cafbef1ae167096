// W3C trace context for every HTTP request: the caller's `traceparent` (from
// Envoy or a client) is continued, a server span is recorded when tracing is
// on, and the whole request runs inside that context so upstream gRPC calls
// carry it on. Off and without a traceparent, a request costs one header look.
import { context, ROOT_CONTEXT, SpanStatusCode, type Context, type Span, type TextMapGetter } from "@opentelemetry/api";
import { extractContext, SpanKind, startSpan, TRACEPARENT_HEADER, traceIdOf, tracingEnabled } from "@platform/kit";
import { Elysia } from "elysia";

const headersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

const contexts = new WeakMap<Request, Context>();
const spans = new WeakMap<Request, Span>();

/** The trace id a request runs under, for its log lines; undefined when it has none. */
export const traceIdFor = (request: Request): string | undefined => {
  const ctx = contexts.get(request);
  return ctx ? traceIdOf(ctx) : undefined;
};

type Handler = (...args: unknown[]) => unknown;

export const tracing = () =>
  new Elysia({ name: "tracing" })
    .wrap(((handle: Handler, request: Request) => {
      const hasParent = request.headers.has(TRACEPARENT_HEADER);
      if (!hasParent && !tracingEnabled()) return handle;
      return (...args: unknown[]) => {
        const parent = extractContext(request.headers, headersGetter, hasParent);
        const { span, ctx } = startSpan(request.method, SpanKind.SERVER, parent, {
          "http.request.method": request.method,
          "url.path": new URL(request.url).pathname,
        });
        contexts.set(request, ctx);
        if (span) spans.set(request, span);
        return context.with(ctx, () => handle(...args));
      };
    }) as Parameters<Elysia["wrap"]>[0])
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const span = spans.get(request);
      if (!span) return;
      const status = typeof set.status === "number" ? set.status : 200;
      if (route) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute("http.route", route);
      }
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });

export { ROOT_CONTEXT };
