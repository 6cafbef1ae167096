// Interop guard: the users service (kit's gRPC server on Bun's node:http2),
// reached THROUGH Envoy as an HTTP/2 upstream, by a grpc-js client speaking h2c
// to Envoy's listener. Envoy
// is strict about HTTP/2 framing (Bun's HTTP/2 has had bugs only Envoy
// noticed, e.g. empty DATA frames), so a Bun upgrade that breaks it fails here.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { decodeFieldViolations, REQUEST_ID_HEADER } from "@platform/kit";
import { call, grpcError } from "@platform/kit/testing";
import { SERVICE_NAMES, users, type ListUsersResponse__Output, type User__Output } from "@platform/proto";
import { isolatedServiceEnv, type RunningComponent, type RunningEnvoy, startService } from "@platform/harness";
import { accessLog, envoyBinary, startTestEnvoy, SUITE_SETUP_TIMEOUT_MS, waitFor } from "./support";

const TEST_TIMEOUT_MS = 30_000;
let service: RunningComponent;
let envoy: RunningEnvoy;
let client: grpc.Client;

beforeAll(async () => {
  envoyBinary();
  service = await startService("users", isolatedServiceEnv());
  envoy = await startTestEnvoy([], {
    grpcUpstreams: [
      { name: "users", service: SERVICE_NAMES.users, addresses: [{ host: "127.0.0.1", port: service.port }] },
    ],
  });
  client = new users.UsersService(`127.0.0.1:${envoy.port}`, grpc.credentials.createInsecure());
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  client?.close();
  await Promise.all([envoy, service].filter(Boolean).map((c) => c.stop("SIGKILL")));
});

const withRequestId = (id: string) => {
  const metadata = new grpc.Metadata();
  metadata.set(REQUEST_ID_HEADER, id);
  return metadata;
};

describe("our gRPC server on Bun behind Envoy (HTTP/2 upstream)", () => {
  test(
    "unary calls succeed, and they went through Envoy over HTTP/2",
    async () => {
      const requestId = `grpc-interop-${crypto.randomUUID()}`;
      const created = await call<object, User__Output>(
        client,
        "CreateUser",
        { id: "1", name: "John Doe", email: "john@example.com" },
        withRequestId(requestId),
      );
      expect(created).toMatchObject({ id: "1", name: "John Doe", email: "john@example.com" });
      expect(await call<object, User__Output>(client, "GetUser", { id: "1" })).toEqual(created);

      const entry = await waitFor("Envoy's access log of the call", () =>
        accessLog(envoy).find((e) => e.request_id === requestId),
      );
      expect(entry).toMatchObject({
        protocol: "HTTP/2",
        path: "/users.v1.UsersService/CreateUser",
        status: 200,
        upstream: `127.0.0.1:${service.port}`,
      });
      // The request id in gRPC metadata reached the service's log.
      await waitFor("the service to log the request id", () =>
        service.recentLines.some((line) => line.includes(requestId)),
      );
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "an error status and its trailers come back intact (NOT_FOUND, INVALID_ARGUMENT + google.rpc.BadRequest details)",
    async () => {
      const notFound = await grpcError(call(client, "GetUser", { id: "424242" }));
      expect(notFound.code).toBe(grpc.status.NOT_FOUND);
      expect(notFound.details).toContain("424242");

      const invalid = await grpcError(call(client, "CreateUser", { name: "", email: "not-an-email" }));
      expect(invalid.code).toBe(grpc.status.INVALID_ARGUMENT);
      const violations = decodeFieldViolations(invalid.metadata)?.violations ?? [];
      expect(violations.map((v) => v.field).sort()).toEqual(["email", "name"]);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "concurrent calls on one HTTP/2 connection, including errors and a larger response",
    async () => {
      const creates = Array.from({ length: 20 }, (_, i) =>
        call<object, User__Output>(client, "CreateUser", {
          name: `User ${i} ${"x".repeat(150)}`,
          email: `user${i}@example.com`,
        }),
      );
      const misses = Array.from({ length: 5 }, (_, i) =>
        grpcError(call(client, "GetUser", { id: String(900_000 + i) })),
      );
      const [created, errors] = await Promise.all([Promise.all(creates), Promise.all(misses)]);
      expect(new Set(created.map((u) => u.id)).size).toBe(20);
      expect(errors.map((e) => e.code)).toEqual(Array(5).fill(grpc.status.NOT_FOUND));

      const page = await call<object, ListUsersResponse__Output>(client, "ListUsers", {
        page_size: 100,
        page_token: "",
      });
      expect(page.users.length).toBe(21);
    },
    TEST_TIMEOUT_MS,
  );
});
