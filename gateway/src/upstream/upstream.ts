// One long-lived gRPC channel per upstream service (kit's ServiceClient: round
// robin, retries on UNAVAILABLE, keepalive, deadline, request id and trace
// context on every call), behind a circuit breaker that fails fast while the
// upstream is down.
import * as grpc from "@grpc/grpc-js";
import {
  decodeFieldViolations,
  ServiceClient,
  type GrpcTls,
  type Logger,
  type MethodName,
  type RequestOf,
  type ResponseOf,
} from "@platform/kit";
import client from "prom-client";
import { HttpProblem } from "../http/problem";
import { CircuitBreaker, type CircuitState } from "./circuitBreaker";
import { grpcErrorToProblem } from "./grpcStatusToHttp";

export interface CallContext {
  requestId: string;
  /** Time this call may take on top of the upstream timeout (a long poll's wait). */
  extraMs?: number;
  /** Cancels the call (the HTTP client went away). */
  signal?: AbortSignal;
}

export interface BreakerSettings {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, "half-open": 1, open: 2 };
const circuitState = new client.Gauge({
  name: "gateway_upstream_circuit_state",
  help: "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open.",
  labelNames: ["upstream"] as const,
});
const circuitRejections = new client.Counter({
  name: "gateway_upstream_circuit_rejections_total",
  help: "Calls failed fast because the upstream's circuit was open.",
  labelNames: ["upstream"] as const,
});

/** Statuses that say the upstream (not the request) is in trouble. */
const OUTAGE_CODES = new Set<number>([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);

export class Upstream<Service extends grpc.ServiceDefinition> {
  private readonly rpc: ServiceClient<Service>;
  readonly breaker: CircuitBreaker;

  constructor(
    /** Short name used in error messages and readiness, e.g. "users". */
    readonly name: string,
    readonly serviceName: string,
    readonly target: string,
    service: Service,
    private readonly timeoutMs: number,
    breaker: BreakerSettings = { failureThreshold: 5, windowMs: 10_000, cooldownMs: 5_000 },
    /** Mutual TLS material (loadGrpcTls; undefined: plaintext); where losing and regaining the upstream is told. */
    { tls, logger }: { tls?: GrpcTls | undefined; logger?: Logger | undefined } = {},
  ) {
    // No waitForReady: while an upstream is down, calls should fail (and trip the breaker) fast.
    this.rpc = new ServiceClient(serviceName, target, service, { timeoutMs, waitForReady: false, tls, logger });
    circuitState.set({ upstream: name }, 0);
    this.breaker = new CircuitBreaker({
      ...breaker,
      onStateChange: (state) => circuitState.set({ upstream: name }, STATE_VALUE[state]),
    });
  }

  /** Calls a unary method; a failure rejects with the HttpProblem the client should see. */
  async call<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    ctx: CallContext,
  ): Promise<ResponseOf<Service[K]>> {
    if (!this.breaker.tryAcquire()) {
      circuitRejections.inc({ upstream: this.name });
      throw new HttpProblem(
        503,
        "upstream-unavailable",
        `the ${this.name} service is unavailable`,
        { grpc_code: "UNAVAILABLE", circuit: "open" },
        { "retry-after": String(this.breaker.retryAfterSeconds()) },
      );
    }
    try {
      const response = await this.rpc.call(
        method,
        request,
        { requestId: ctx.requestId },
        { timeoutMs: this.timeoutMs + (ctx.extraMs ?? 0), ...(ctx.signal && { signal: ctx.signal }) },
      );
      this.breaker.onSuccess();
      return response;
    } catch (error) {
      const { code, details } = error as grpc.ServiceError;
      if (OUTAGE_CODES.has(code)) this.breaker.onFailure();
      else this.breaker.onSuccess();
      throw grpcErrorToProblem(this.name, code, details, decodeFieldViolations((error as grpc.ServiceError).metadata));
    }
  }

  /**
   * Opens a server-streaming call. Messages arrive as `data` events; the
   * stream ends with `end`, or `error` carrying the gRPC status. Long-lived,
   * so its deadline is the caller's to choose.
   */
  stream<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    ctx: CallContext & { deadlineMs: number },
  ): grpc.ClientReadableStream<ResponseOf<Service[K]>> {
    return this.rpc.stream(method, request, { requestId: ctx.requestId }, new Date(Date.now() + ctx.deadlineMs));
  }

  /** The upstream's own grpc.health.v1 answer: "SERVING" when it can take calls. */
  checkHealth(timeoutMs: number): Promise<string> {
    return this.rpc.checkHealth(this.serviceName, timeoutMs);
  }

  close(): void {
    this.rpc.close();
  }
}
