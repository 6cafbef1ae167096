// The shared bootstrap: health flips to NOT_SERVING on shutdown, in-flight calls
// finish, and an unexpected error leaves as INTERNAL without its message.
import { describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { users, SERVICE_NAMES } from "@platform/proto";
import { NotFoundError } from "./errors";
import { checkHealth, createHealthClient } from "./health";
import { startGrpcServer } from "./server";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "./testing";
import { unary } from "./unary";

function startWith(
  handler: (request: { id: string }) => Promise<unknown>,
  shutdownTimeoutMs = 2_000,
  shutdownDelayMs = 0,
) {
  const logger = quietLogger();
  const get = unary("GetUser", logger, handler);
  return startGrpcServer({
    host: TEST_SERVER_CONFIG.HOST,
    port: 0,
    shutdownTimeoutMs,
    shutdownDelayMs,
    logger,
    services: [
      {
        name: SERVICE_NAMES.users,
        definition: users.UsersService.service,
        implementation: { GetUser: get, CreateUser: get, ListUsers: get },
      },
    ],
  });
}

describe("startGrpcServer", () => {
  test("domain errors keep their status and message; others become a bare INTERNAL", async () => {
    const server = await startWith(async ({ id }) => {
      if (id === "1") throw new NotFoundError("user 1 not found");
      throw new Error("secret database password in a stack trace");
    });
    const client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const notFound = await grpcError(call(client, "GetUser", { id: "1" }));
    expect([notFound.code, notFound.details]).toEqual([grpc.status.NOT_FOUND, "user 1 not found"]);
    const internal = await grpcError(call(client, "GetUser", { id: "2" }));
    expect([internal.code, internal.details]).toEqual([grpc.status.INTERNAL, "internal error"]);
    client.close();
    await server.shutdown();
  });

  test("shutdown reports NOT_SERVING during the delay, lets an in-flight call finish, then stops", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await startWith(
      async ({ id }) => {
        await gate;
        return { id, name: "slow", email: "slow@example.com" };
      },
      2_000,
      300,
    );
    const target = `127.0.0.1:${server.port}`;
    const client = new users.UsersService(target, grpc.credentials.createInsecure());
    const health = createHealthClient(target);
    expect(await checkHealth(health, SERVICE_NAMES.users, 1_000)).toBe("SERVING");

    const inFlight = call<{ id: string }, { id: string }>(client, "GetUser", { id: "7" });
    await Bun.sleep(50);
    const stopped = server.shutdown();
    expect(await checkHealth(health, SERVICE_NAMES.users, 1_000)).toBe("NOT_SERVING");
    release();
    expect((await inFlight).id).toBe("7");
    await stopped;
    health.close();
    client.close();
  });

  test("a message over the size limit is RESOURCE_EXHAUSTED and never reaches the handler", async () => {
    let handled = 0;
    const server = await startWith(async ({ id }) => {
      handled++;
      return { id, name: "n", email: "n@example.com" };
    });
    const client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const huge = await grpcError(
      call(client, "CreateUser", { name: "x".repeat(2 * 1024 * 1024), email: "big@example.com" }),
    );
    expect(huge.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(handled).toBe(0);
    // The server is fine afterwards.
    expect((await call<{ id: string }, { id: string }>(client, "GetUser", { id: "5" })).id).toBe("5");
    client.close();
    await server.shutdown();
  });

  test("a call that outlives the drain timeout is cut off and shutdown still completes", async () => {
    const server = await startWith(() => new Promise(() => {}), 200);
    const client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const hanging = grpcError(call(client, "GetUser", { id: "1" }));
    await Bun.sleep(50);
    // Cut, not left to run into its own 5 s deadline (DEADLINE_EXCEEDED).
    await server.shutdown();
    expect((await hanging).code).toBe(grpc.status.UNAVAILABLE);
    client.close();
  });
});
