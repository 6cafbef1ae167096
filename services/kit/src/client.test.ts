// Service-to-service calls through ServiceClient: a handler that calls another
// service passes on its request id, its trace context and its remaining deadline.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { SERVICE_NAMES, users } from "@platform/proto";
import { ServiceClient } from "./client";
import { createLogger } from "./logger";
import { REQUEST_ID_HEADER } from "./requestContext";
import { startGrpcServer, type RunningGrpcServer } from "./server";
import { freePort, quietLogger } from "./testing";
import { installContextPropagation } from "./tracing";
import { unary } from "./unary";

const user = { id: "1", name: "N", email: "n@example.com" };
let downstream: RunningGrpcServer;
let front: RunningGrpcServer;
let client: ServiceClient<typeof users.UsersService.service>;
const seen: { requestId?: string; traceparent?: string; deadlineMs?: number }[] = [];

const bind = (port: number, implementation: grpc.UntypedServiceImplementation) =>
  startGrpcServer({
    host: "127.0.0.1",
    port,
    shutdownTimeoutMs: 500,
    logger: quietLogger(),
    services: [{ name: SERVICE_NAMES.users, definition: users.UsersService.service, implementation }],
  });

beforeAll(async () => {
  installContextPropagation();
  const logger = quietLogger();
  const record = unary("GetUser", logger, async (_request, ctx) => {
    seen.push({ requestId: ctx.requestId, deadlineMs: ctx.deadline?.getTime() });
    return user;
  });
  const raw: grpc.handleUnaryCall<unknown, unknown> = (serverCall, callback) => {
    seen.push({ traceparent: String(serverCall.metadata.get("traceparent")[0] ?? "") });
    record(serverCall as never, callback as never);
  };
  downstream = await bind(0, { GetUser: raw, ListUsers: raw, CreateUser: raw });
  client = new ServiceClient(SERVICE_NAMES.users, `127.0.0.1:${downstream.port}`, users.UsersService.service, {
    timeoutMs: 5_000,
    waitForReady: true,
  });
  const forward = unary("GetUser", logger, (request: { id: string }, ctx) => client.call("GetUser", request, ctx));
  front = await bind(0, { GetUser: forward, ListUsers: forward, CreateUser: forward });
});
afterAll(async () => {
  client.close();
  await Promise.all([front.shutdown(), downstream.shutdown()]);
});

describe("ServiceClient from inside a handler", () => {
  test("passes on the request id, the trace and the caller's remaining deadline", async () => {
    const frontClient = new users.UsersService(`127.0.0.1:${front.port}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_HEADER, "chain-1");
    metadata.set("traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
    const deadline = Date.now() + 1_500;
    const response = await new Promise<{ id: string }>((resolve, reject) =>
      frontClient.GetUser({ id: "1" }, metadata, { deadline }, (error: grpc.ServiceError | null, r?: { id: string }) =>
        error ? reject(error) : resolve(r!),
      ),
    );
    frontClient.close();
    expect(response.id).toBe("1");
    const [wire, handled] = seen.slice(-2);
    expect(wire!.traceparent).toMatch(/^00-11111111111111111111111111111111-[0-9a-f]{16}-01$/);
    expect(handled!.requestId).toBe("chain-1");
    // The downstream deadline is the caller's (give or take clock rounding), not our 5 s timeout.
    expect(handled!.deadlineMs!).toBeLessThanOrEqual(deadline + 50);
    expect(handled!.deadlineMs!).toBeGreaterThan(Date.now());
  });

  test("without a served call, the client's own timeout applies and a request id is sent", async () => {
    const result = await client.call("GetUser", { id: "1" }, { requestId: "standalone" });
    expect(result.id).toBe("1");
    const [wire, handled] = seen.slice(-2);
    expect(handled!.requestId).toBe("standalone");
    expect(handled!.deadlineMs! - Date.now()).toBeGreaterThan(3_000);
    // Tracing off and no trace to continue: no trace context on the wire.
    expect(wire!.traceparent).toBe("");
  });
});

describe("ServiceClient passes the served call as parent", () => {
  test("cancelling the outer call cancels the inner one, whose deadline is the outer's", async () => {
    const logger = quietLogger();
    let innerCancelled!: () => void;
    const cancelledInside = new Promise<void>((resolve) => (innerCancelled = resolve));
    let innerStarted!: (deadlineMs: number) => void;
    const startedInside = new Promise<number>((resolve) => (innerStarted = resolve));
    // The inner handler never answers: only a propagated cancellation ends it.
    const hang: grpc.handleUnaryCall<unknown, unknown> = (serverCall) => {
      serverCall.on("cancelled", () => innerCancelled());
      const deadline = serverCall.getDeadline();
      innerStarted(deadline instanceof Date ? deadline.getTime() : Number(deadline));
    };
    const inner = await bind(0, { GetUser: hang, ListUsers: hang, CreateUser: hang });
    // Its own timeout is ten minutes: an inner call that ends sooner was ended by the outer one.
    const longClient = new ServiceClient(SERVICE_NAMES.users, `127.0.0.1:${inner.port}`, users.UsersService.service, {
      timeoutMs: 600_000,
      waitForReady: true,
    });
    const forward = unary("GetUser", logger, (request: { id: string }, ctx) =>
      longClient.call("GetUser", request, ctx),
    );
    const outer = await bind(0, { GetUser: forward, ListUsers: forward, CreateUser: forward });
    const outerClient = new users.UsersService(`127.0.0.1:${outer.port}`, grpc.credentials.createInsecure());
    try {
      const deadline = Date.now() + 120_000;
      let outerCode: number | undefined;
      const call = outerClient.GetUser(
        { id: "1" },
        new grpc.Metadata(),
        { deadline },
        (error: grpc.ServiceError | null) => (outerCode = error?.code),
      );
      const innerDeadline = await startedInside;
      // The outer deadline (two minutes), not the inner client's ten: give or take the wire's rounding.
      expect(innerDeadline).toBeLessThanOrEqual(deadline + 50);
      expect(innerDeadline).toBeGreaterThan(deadline - 60_000);
      call.cancel();
      await cancelledInside;
      expect(outerCode).toBe(grpc.status.CANCELLED);
    } finally {
      outerClient.close();
      longClient.close();
      await Promise.all([outer.shutdown(), inner.shutdown()]);
    }
  });
});

describe("which transport a unary call takes", () => {
  test("host:port and dns:/// targets: kit's Http2Channel; grpc-js's channel is never connected", async () => {
    for (const target of [`127.0.0.1:${downstream.port}`, `dns:///localhost:${downstream.port}`]) {
      const direct = new ServiceClient(SERVICE_NAMES.users, target, users.UsersService.service, { timeoutMs: 5_000 });
      try {
        expect((await direct.call("GetUser", { id: "1" }, { requestId: "transport" })).id).toBe("1");
        expect(await direct.checkHealth(SERVICE_NAMES.users, 5_000)).toBe("SERVING");
        expect(direct.client.getChannel().getConnectivityState(false)).toBe(grpc.connectivityState.IDLE);
      } finally {
        direct.close();
      }
    }
  });

  test("a target the channel does not take (one naming its DNS server) goes through grpc-js", async () => {
    const target = `dns://127.0.0.1:9/localhost:${downstream.port}`;
    const other = new ServiceClient(SERVICE_NAMES.users, target, users.UsersService.service, { timeoutMs: 5_000 });
    try {
      expect((await other.call("GetUser", { id: "1" }, { requestId: "transport" })).id).toBe("1");
      expect(other.client.getChannel().getConnectivityState(false)).toBe(grpc.connectivityState.READY);
    } finally {
      other.close();
    }
  });
});

describe("what a ServiceClient tells its logger", () => {
  test("an upstream that does not answer: one warn line naming the service, the target and the address", async () => {
    const lines: string[] = [];
    const logger = createLogger("test", "info", { write: (line: string) => void lines.push(line) });
    const target = `127.0.0.1:${freePort()}`;
    const down = new ServiceClient(SERVICE_NAMES.users, target, users.UsersService.service, {
      timeoutMs: 2_000,
      logger,
    });
    try {
      const error = (await down.call("GetUser", { id: "1" }, { requestId: "r" }).catch((e) => e)) as grpc.ServiceError;
      expect(error.code).toBe(grpc.status.UNAVAILABLE);
      const warned = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === "warn");
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({
        msg: "gRPC connection failed",
        upstream: SERVICE_NAMES.users,
        target,
        address: target,
      });
    } finally {
      down.close();
    }
  });
});
