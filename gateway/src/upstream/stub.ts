// In-memory upstreams for tests of plugins and modules: each method answers from
// a handler the test gives (canned wire messages, an HttpProblem, or a gRPC error
// `{ code, details }` turned into the problem the real Upstream would throw).
// A handler gets the request as the service would: encoded and decoded by the
// method's own serializers (int64 as decimal strings, defaults filled in).
// Every call is recorded. Nothing listens, nothing is spawned.
import { EventEmitter } from "node:events";
import * as grpc from "@grpc/grpc-js";
import type { DecodedRequestOf, MethodName, RequestOf, ResponseOf } from "@platform/kit";
import { jobs, pipelines, users } from "@platform/proto";
import { HttpProblem } from "../http/problem";
import type { CircuitState } from "./circuitBreaker";
import { grpcErrorToProblem } from "./grpcStatusToHttp";
import type { UpstreamClient, Upstreams } from "./index";
import type { CallContext } from "./upstream";

/** What a stubbed stream sends: messages in order, then an end or an error. */
export interface StubStream<Message> {
  messages: Message[];
  error?: { code: grpc.status; details?: string };
  /** Leave the stream open after the messages (until the caller cancels it). */
  open?: boolean;
}

export type StubHandlers<Service extends grpc.ServiceDefinition> = {
  [K in MethodName<Service>]?: (
    request: DecodedRequestOf<Service[K]>,
  ) => ResponseOf<Service[K]> | Promise<ResponseOf<Service[K]>> | StubStream<ResponseOf<Service[K]>>;
};

export interface StubCall {
  method: string;
  request: unknown;
  requestId: string;
}

/** A gRPC error as grpc-js rejects with it, for handlers to throw. */
export function grpcError(code: grpc.status, details = ""): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

export class StubUpstream<Service extends grpc.ServiceDefinition> implements UpstreamClient<Service> {
  readonly calls: StubCall[] = [];
  readonly breaker: { state: CircuitState } = { state: "closed" };
  /** What checkHealth answers. */
  health = "SERVING";

  constructor(
    readonly name: string,
    public handlers: StubHandlers<Service> = {},
    private readonly service?: Service,
  ) {}

  private handle(method: string, sent: unknown, ctx: CallContext): unknown {
    const definition = this.service?.[method];
    const request = definition ? definition.requestDeserialize(definition.requestSerialize(sent)) : sent;
    this.calls.push({ method, request, requestId: ctx.requestId });
    const handler = (this.handlers as Record<string, ((request: unknown) => unknown) | undefined>)[method];
    if (!handler) throw grpcError(grpc.status.UNIMPLEMENTED, `stub ${this.name}: no handler for ${method}`);
    return handler(request);
  }

  /** The calls made to `method`, in order. */
  callsOf(method: MethodName<Service>): StubCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async call<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    ctx: CallContext,
  ): Promise<ResponseOf<Service[K]>> {
    try {
      return (await this.handle(method, request, ctx)) as ResponseOf<Service[K]>;
    } catch (error) {
      if (error instanceof HttpProblem) throw error;
      const { code, details } = error as grpc.ServiceError;
      if (typeof code !== "number") throw error;
      throw grpcErrorToProblem(this.name, code, details);
    }
  }

  stream<K extends MethodName<Service>>(
    method: K,
    request: RequestOf<Service[K]>,
    ctx: CallContext & { deadlineMs: number },
  ): grpc.ClientReadableStream<ResponseOf<Service[K]>> {
    const emitter = new EventEmitter() as EventEmitter & { cancel(): void; cancelled: boolean };
    emitter.cancelled = false;
    emitter.cancel = () => {
      emitter.cancelled = true;
    };
    let script: StubStream<unknown>;
    try {
      script = this.handle(method, request, ctx) as StubStream<unknown>;
    } catch (error) {
      script = { messages: [], error: error as grpc.ServiceError };
    }
    queueMicrotask(() => {
      for (const message of script.messages) if (!emitter.cancelled) emitter.emit("data", message);
      if (emitter.cancelled || script.open) return;
      if (script.error) emitter.emit("error", Object.assign(new Error(script.error.details ?? ""), script.error));
      else emitter.emit("end");
    });
    return emitter as unknown as grpc.ClientReadableStream<ResponseOf<Service[K]>>;
  }

  async checkHealth(): Promise<string> {
    return this.health;
  }

  close(): void {}
}

export interface StubUpstreams extends Upstreams {
  users: StubUpstream<typeof users.UsersService.service>;
  jobs: StubUpstream<typeof jobs.JobsService.service>;
  pipelines: StubUpstream<typeof pipelines.PipelinesService.service>;
}

export function stubUpstreams(
  handlers: {
    users?: StubHandlers<typeof users.UsersService.service>;
    jobs?: StubHandlers<typeof jobs.JobsService.service>;
    pipelines?: StubHandlers<typeof pipelines.PipelinesService.service>;
  } = {},
): StubUpstreams {
  return {
    users: new StubUpstream("users", handlers.users, users.UsersService.service),
    jobs: new StubUpstream("jobs", handlers.jobs, jobs.JobsService.service),
    pipelines: new StubUpstream("pipelines", handlers.pipelines, pipelines.PipelinesService.service),
  };
}
