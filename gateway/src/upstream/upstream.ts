// One long-lived gRPC channel per upstream service, and typed unary calls over it
// with a deadline and the request id on every call.
import * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import { checkHealth, createHealthClient, FIELD_VIOLATIONS_HEADER, REQUEST_ID_HEADER, type HealthClient } from "@platform/kit";
import type { FieldError } from "../http/problem";
import { grpcErrorToProblem } from "./grpcStatusToHttp";


type RequestOf<M> = M extends MethodDefinition<infer Req, any, any, any> ? Req : never;
type ResponseOf<M> = M extends MethodDefinition<any, any, any, infer Res> ? Res : never;
/** Method names without the index signature generated definitions inherit. */
type MethodName<S> = keyof { [K in keyof S as string extends K ? never : K]: S[K] } & string;

export interface CallContext {
  requestId: string;
}

/**
 * Channel options for every upstream: spread calls over every address the
 * target resolves to, retry only what never reached a server, keep idle
 * connections alive through proxies that drop them.
 */
export function channelOptions(serviceName: string): grpc.ChannelOptions {
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
    // Redial quickly after an upstream restarts, so readiness recovers fast.
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 2_000,
  };
}

export class Upstream<Service extends grpc.ServiceDefinition> {
  private readonly client: grpc.Client;
  private readonly health: HealthClient;

  constructor(
    /** Short name used in error messages and readiness, e.g. "users". */
    readonly name: string,
    readonly serviceName: string,
    readonly target: string,
    private readonly service: Service,
    private readonly timeoutMs: number,
  ) {
    this.client = new grpc.Client(target, grpc.credentials.createInsecure(), channelOptions(serviceName));
    this.health = createHealthClient(target, { channelOverride: this.client.getChannel() });
  }

  /** Calls a unary method; a failure rejects with the HttpProblem the client should see. */
  call<K extends MethodName<Service>>(method: K, request: RequestOf<Service[K]>, ctx: CallContext): Promise<ResponseOf<Service[K]>> {
    const definition = this.service[method] as grpc.MethodDefinition<RequestOf<Service[K]>, ResponseOf<Service[K]>>;
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_HEADER, ctx.requestId);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        metadata,
        { deadline: Date.now() + this.timeoutMs },
        (error, response) => {
          if (error) reject(grpcErrorToProblem(this.name, error.code, error.details, fieldErrorsOf(error)));
          else resolve(response as ResponseOf<Service[K]>);
        },
      );
    });
  }

  /**
   * Opens a server-streaming call. Messages arrive as `data` events; the
   * stream ends with `end`, or `error` carrying the gRPC status. Long-lived,
   * so its deadline is the caller's to choose.
   */
  stream<K extends MethodName<Service>>(method: K, request: RequestOf<Service[K]>, ctx: CallContext & { deadlineMs: number }): grpc.ClientReadableStream<ResponseOf<Service[K]>> {
    const definition = this.service[method] as grpc.MethodDefinition<RequestOf<Service[K]>, ResponseOf<Service[K]>>;
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_HEADER, ctx.requestId);
    return this.client.makeServerStreamRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, request, metadata, {
      deadline: Date.now() + ctx.deadlineMs,
    });
  }

  /** The upstream's own grpc.health.v1 answer: "SERVING" when it can take calls. */
  checkHealth(timeoutMs: number): Promise<string> {
    return checkHealth(this.health, this.serviceName, timeoutMs);
  }

  close(): void {
    this.health.close();
    this.client.close();
  }
}

function fieldErrorsOf(error: grpc.ServiceError): FieldError[] | undefined {
  const raw = error.metadata?.get(FIELD_VIOLATIONS_HEADER)[0];
  if (typeof raw !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return undefined;
    return parsed.filter((v): v is FieldError => typeof v?.field === "string" && typeof v?.message === "string");
  } catch {
    return undefined;
  }
}
