// Outgoing gRPC calls, one definition for the gateway and for service-to-service
// calls: channel options (round robin, retry on UNAVAILABLE, keepalive), a
// deadline on every call (the caller's remaining deadline when serving a call),
// request id and trace context in metadata, latency metrics and client spans.
// Unary calls go through kit's Http2Channel (the same behaviours at a third of
// grpc-js's CPU on Bun); streams, and targets it does not parse, through grpc-js.
import * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import { context, propagation, trace } from "@opentelemetry/api";
import { service as healthService } from "grpc-health-check";
import { injectTraceContext } from "./grpcTelemetry";
import { grpcClientTransport, type GrpcTls } from "./grpcTls";
import { healthAnswer } from "./health";
import { Http2Channel } from "./http2/channel";
import { serviceError } from "./http2/response";
import { parseTarget } from "./http2/target";
import type { Logger } from "./logger";
import { grpcClientMetrics, splitMethodPath } from "./metrics";
import { REQUEST_ID_HEADER, serverCallOf, type CallContext } from "./requestContext";
import { endRpcSpan, SpanKind, startSpan, tracingEnabled } from "./tracing";

// biome-ignore lint/suspicious/noExplicitAny: the other type parameters are in both variances; any matches every definition
export type RequestOf<M> = M extends MethodDefinition<infer Req, any, any, any> ? Req : never;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type ResponseOf<M> = M extends MethodDefinition<any, any, any, infer Res> ? Res : never;
/** A method's request as the server decodes it (int64 as decimal strings, defaults filled in). */
// biome-ignore lint/suspicious/noExplicitAny: as above
export type DecodedRequestOf<M> = M extends MethodDefinition<any, any, infer Req, any> ? Req : never;
/** Method names without the index signature generated definitions inherit. */
export type MethodName<S> = keyof { [K in keyof S as string extends K ? never : K]: S[K] } & string;

/**
 * Channel options for every client: spread calls over every address the target
 * resolves to (use dns:/// targets with headless Services), retry only what
 * never reached a server, keep idle connections alive through proxies that drop
 * them, and redial quickly after an upstream restarts.
 */
export function clientChannelOptions(serviceName: string): grpc.ChannelOptions {
  return {
    "grpc.service_config": JSON.stringify({
      loadBalancingConfig: [{ round_robin: {} }],
      methodConfig: [
        {
          name: [{ service: serviceName }],
          retryPolicy: {
            maxAttempts: 3,
            initialBackoff: "0.05s",
            maxBackoff: "0.5s",
            backoffMultiplier: 2,
            retryableStatusCodes: ["UNAVAILABLE"],
          },
        },
      ],
    }),
    "grpc.enable_retries": 1,
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 2_000,
    // No channelz service is served anywhere; tracking it costs every call.
    "grpc.enable_channelz": 0,
  };
}

/** Who a call is made for: a served call's context (deadline and cancellation propagate), or just a request id. */
export type CallOrigin = CallContext | { requestId: string; deadline?: Date | undefined };

export interface ServiceClientOptions {
  /** The longest any call may take; a served call's remaining deadline can only shorten it. */
  timeoutMs: number;
  /**
   * Queue calls while the channel is reconnecting instead of failing at once
   * (bounded by the deadline). Good for service-to-service calls during a
   * rollout; the gateway leaves it off so its circuit breaker sees outages fast.
   */
  waitForReady?: boolean;
  /** Mutual TLS material (loadGrpcTls); undefined or null: plaintext. */
  tls?: GrpcTls | null;
  /** Where an upstream that stops answering (and answers again) is told; never a line per call. */
  logger?: Logger | undefined;
}

interface MethodFacts {
  spanName: string;
  attributes: Record<string, string>;
  labels(code: number): Record<string, string>;
}

type AnyMethod = grpc.MethodDefinition<unknown, unknown>;
const HEALTH_CHECK = healthService.Check as AnyMethod;

export class ServiceClient<Service extends grpc.ServiceDefinition> {
  /** grpc-js's channel: streams, and unary calls to targets the Http2Channel does not take. Connects on first use. */
  readonly client: grpc.Client;
  private readonly channel: Http2Channel | undefined;

  constructor(
    /** Fully qualified service name, e.g. jobs.v1.JobsService. */
    readonly serviceName: string,
    readonly target: string,
    private readonly service: Service,
    private readonly options: ServiceClientOptions,
  ) {
    const transport = grpcClientTransport(target, options.tls);
    this.client = new grpc.Client(target, transport.credentials, {
      ...clientChannelOptions(serviceName),
      ...transport.options,
    });
    const parsed = parseTarget(target);
    const log = options.logger?.child({ upstream: serviceName, target });
    this.channel = parsed && new Http2Channel(parsed, { tls: options.tls, ...(log && { log }) });
  }

  /**
   * Calls a unary method; rejects with the grpc.ServiceError. `timeoutMs`
   * replaces the client's own timeout for this call (a long poll needs longer);
   * `signal` cancels it (CANCELLED).
   */
  call<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    origin: CallOrigin,
    { timeoutMs, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ResponseOf<Service[K]>> {
    const definition = this.service[method] as AnyMethod;
    const facts = this.methodFacts(definition.path);
    const active = context.active();
    // Tracing off: no span; the trace context is written only when the call runs inside one.
    const { span, ctx } = tracingEnabled()
      ? startSpan(facts.spanName, SpanKind.CLIENT, active, facts.attributes)
      : { span: undefined, ctx: active };
    const metadata: Record<string, string> = { [REQUEST_ID_HEADER]: origin.requestId };
    if (span !== undefined || trace.getSpanContext(ctx) !== undefined) propagation.inject(ctx, metadata);
    const started = performance.now();
    const ended = (code: number) => {
      grpcClientMetrics.seconds.observe(facts.labels(code), (performance.now() - started) / 1000);
      endRpcSpan(span, code, SpanKind.CLIENT);
    };
    return this.unary(definition, request, metadata, origin, this.deadlineFor(origin, timeoutMs), signal).then(
      (response) => {
        ended(grpc.status.OK);
        return response as ResponseOf<Service[K]>;
      },
      (error: grpc.ServiceError) => {
        ended(error.code);
        throw error;
      },
    );
  }

  /** grpc.health.v1 Check over this client's connections: "SERVING", another status, or why the check failed. */
  checkHealth(service: string, timeoutMs: number): Promise<string> {
    return this.unary(
      HEALTH_CHECK,
      { service },
      {},
      { requestId: "health-check" },
      new Date(Date.now() + timeoutMs),
    ).then(
      (response) => healthAnswer(null, response as { status?: string }),
      (error: grpc.ServiceError) => healthAnswer(error),
    );
  }

  /**
   * One unary exchange, on the Http2Channel when the target is one it takes:
   * the served call's signal (its caller cancelled or went away) and `signal`
   * both cancel it.
   */
  private unary(
    definition: AnyMethod,
    request: unknown,
    metadata: Record<string, string>,
    origin: CallOrigin,
    deadline: Date,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const waitForReady = this.options.waitForReady ?? false;
    if (!this.channel) return this.unaryOnGrpcJs(definition, request, metadata, origin, deadline, waitForReady, signal);
    let bytes: Buffer;
    try {
      bytes = definition.requestSerialize(request);
    } catch (error) {
      return Promise.reject(
        serviceError(grpc.status.INTERNAL, `Request message serialization failure: ${(error as Error).message}`),
      );
    }
    const served = "signal" in origin ? origin.signal : undefined;
    const cancel = served && signal ? AbortSignal.any([served, signal]) : (served ?? signal);
    return this.channel
      .unary(definition.path, bytes, metadata, { deadline: deadline.getTime(), waitForReady, signal: cancel })
      .then((response) => {
        try {
          return definition.responseDeserialize(response);
        } catch (error) {
          throw serviceError(grpc.status.INTERNAL, `Response message parsing error: ${(error as Error).message}`);
        }
      });
  }

  private unaryOnGrpcJs(
    definition: AnyMethod,
    request: unknown,
    headers: Record<string, string>,
    origin: CallOrigin,
    deadline: Date,
    waitForReady: boolean,
    signal?: AbortSignal,
  ): Promise<unknown> {
    // waitForReady is a per-call metadata option in grpc-js.
    const metadata = new grpc.Metadata({ waitForReady });
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    return new Promise((resolve, reject) => {
      const cancel = () => call.cancel();
      const call = this.client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        metadata,
        this.callOptions(origin, deadline),
        (error, response) => {
          signal?.removeEventListener("abort", cancel);
          if (error) reject(error);
          else resolve(response);
        },
      );
      if (signal?.aborted) cancel();
      else signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  /**
   * Opens a server-streaming call: messages arrive as `data` events, the stream
   * ends with `end`, or `error` carrying the gRPC status. Long-lived, so its
   * deadline is the caller's to choose.
   */
  stream<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    origin: CallOrigin,
    deadline: Date,
  ): grpc.ClientReadableStream<ResponseOf<Service[K]>> {
    const definition = this.service[method] as grpc.MethodDefinition<RequestOf<Service[K]>, ResponseOf<Service[K]>>;
    const [grpcService, grpcMethod] = splitMethodPath(definition.path);
    // A span for the stream's life and the same latency metric as a unary call, by final status.
    const { span, ctx } = startSpan(definition.path.slice(1), SpanKind.CLIENT, context.active(), {
      "rpc.system": "grpc",
      "rpc.service": grpcService,
      "rpc.method": grpcMethod,
    });
    const metadata = context.with(ctx, () => injectTraceContext(new grpc.Metadata()));
    metadata.set(REQUEST_ID_HEADER, origin.requestId);
    const started = performance.now();
    const call = this.client.makeServerStreamRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      metadata,
      this.callOptions(origin, deadline),
    );
    call.on("status", (status: grpc.StatusObject) => {
      grpcClientMetrics.seconds.observe(
        {
          grpc_service: grpcService,
          grpc_method: grpcMethod,
          grpc_code: grpc.status[status.code] ?? String(status.code),
        },
        (performance.now() - started) / 1000,
      );
      endRpcSpan(span, status.code, SpanKind.CLIENT);
    });
    return call;
  }

  private readonly facts = new Map<string, MethodFacts>();
  /** What every call of a method shares (names, span attributes, metric labels by code), worked out once. */
  private methodFacts(path: string): MethodFacts {
    let found = this.facts.get(path);
    if (!found) {
      const [grpcService, grpcMethod] = splitMethodPath(path);
      const byCode = new Map<number, Record<string, string>>();
      found = {
        spanName: path.slice(1),
        attributes: { "rpc.system": "grpc", "rpc.service": grpcService, "rpc.method": grpcMethod },
        labels: (code) => {
          let labels = byCode.get(code);
          if (!labels) {
            labels = {
              grpc_service: grpcService,
              grpc_method: grpcMethod,
              grpc_code: grpc.status[code] ?? String(code),
            };
            byCode.set(code, labels);
          }
          return labels;
        },
      };
      this.facts.set(path, found);
    }
    return found;
  }

  /**
   * The deadline, and for a call made while serving one, that call as `parent`:
   * its deadline and its cancellation reach the downstream call (grpc-js
   * propagation), so a caller that gives up stops the whole chain.
   */
  private callOptions(origin: CallOrigin, deadline: Date): grpc.CallOptions {
    const options: grpc.CallOptions = { deadline };
    const parent = "logger" in origin ? serverCallOf(origin) : undefined;
    if (parent) {
      options.parent = parent;
      options.propagate_flags = grpc.propagate.DEADLINE | grpc.propagate.CANCELLATION;
    }
    return options;
  }

  /** Our own timeout, cut short by the deadline of the call we are serving. */
  private deadlineFor(origin: CallOrigin, timeoutMs = this.options.timeoutMs): Date {
    const own = Date.now() + timeoutMs;
    const inherited = origin.deadline?.getTime();
    return new Date(inherited !== undefined && inherited < own ? inherited : own);
  }

  close(): void {
    this.channel?.close();
    this.client.close();
  }
}
