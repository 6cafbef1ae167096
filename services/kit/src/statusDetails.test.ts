// Field violations of any text and any number leave as a bounded
// google.rpc.BadRequest in grpc-status-details-bin, and the server stays up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { users, SERVICE_NAMES } from "@platform/proto";
import { InvalidArgumentError, type FieldViolation } from "./errors";
import { startGrpcServer, type RunningGrpcServer } from "./server";
import { serverStream } from "./serverStream";
import {
  decodeFieldViolations,
  encodeBadRequestStatus,
  MAX_FIELD_VIOLATIONS,
  MAX_STATUS_MESSAGE_CHARS,
  STATUS_DETAILS_BUDGET_BYTES,
  STATUS_DETAILS_HEADER,
  truncate,
} from "./statusDetails";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "./testing";
import { unary } from "./unary";

const HOSTILE: Record<string, FieldViolation[]> = {
  "non-ASCII (é, emoji, RTL, control characters)": [
    { field: "steps.0.depends_on.0", message: 'unknown step "é"' },
    { field: "name", message: "bad: 🚀 \u202Eevil\u202C \u0001\u001F\u007F שלום" },
    { field: "ключ", message: "значение" },
  ],
  "one huge violation": [{ field: "f".repeat(100_000), message: "é".repeat(1_000_000) }],
  "10,000 violations": Array.from({ length: 10_000 }, (_, i) => ({
    field: `steps.0.depends_on.${i}`,
    message: `unknown step "dépendance-${i}"`,
  })),
};

let server: RunningGrpcServer;
let client: grpc.Client & Record<string, (...args: any[]) => any>;
let nextViolations: FieldViolation[] = [];

beforeAll(async () => {
  const logger = quietLogger();
  const fail = unary("GetUser", logger, async () => {
    throw new InvalidArgumentError(nextViolations);
  });
  // A handler that throws synchronously, outside any promise.
  const throwsSync = unary("CreateUser", logger, (() => {
    throw new InvalidArgumentError([{ field: "é", message: "sync" }]);
  }) as never);
  server = await startGrpcServer({
    host: TEST_SERVER_CONFIG.HOST,
    port: 0,
    shutdownTimeoutMs: 1_000,
    logger,
    services: [
      {
        name: SERVICE_NAMES.users,
        definition: users.UsersService.service,
        implementation: { GetUser: fail, CreateUser: throwsSync, ListUsers: fail },
      },
    ],
  });
  client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as never;
});
afterAll(async () => {
  client.close();
  await server.shutdown();
});

describe("field violations on the wire", () => {
  test.each(Object.entries(HOSTILE))(
    "%s: INVALID_ARGUMENT with decodable, bounded details; the server stays up",
    async (_, violations) => {
      nextViolations = violations;
      const error = await grpcError(call(client, "GetUser", { id: "1" }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details.length).toBeLessThanOrEqual(MAX_STATUS_MESSAGE_CHARS);
      const raw = error.metadata.get(STATUS_DETAILS_HEADER)[0] as Buffer;
      expect(raw.byteLength).toBeLessThanOrEqual(STATUS_DETAILS_BUDGET_BYTES);
      const decoded = decodeFieldViolations(error.metadata)!;
      expect(decoded.violations.length + decoded.omitted).toBe(violations.length);
      expect(decoded.violations.length).toBeLessThanOrEqual(MAX_FIELD_VIOLATIONS);
      // What travels is the start of what was thrown, in order, Unicode intact.
      decoded.violations.forEach((v, i) => {
        expect(v.field).toBe(truncate(violations[i]!.field, 200));
        expect(v.message).toBe(truncate(violations[i]!.message, 500));
      });
      // The same server answers the next call.
      nextViolations = [{ field: "id", message: "still here" }];
      expect(decodeFieldViolations((await grpcError(call(client, "GetUser", { id: "1" }))).metadata)).toEqual({
        violations: nextViolations,
        omitted: 0,
      });
    },
  );

  test("the non-ASCII repro keeps every character, in details and violations", async () => {
    nextViolations = HOSTILE["non-ASCII (é, emoji, RTL, control characters)"]!;
    const error = await grpcError(call(client, "GetUser", { id: "1" }));
    expect(decodeFieldViolations(error.metadata)).toEqual({ violations: nextViolations, omitted: 0 });
    expect(error.details).toContain('unknown step "é"');
  });

  test("10,000 violations: the first ones travel and the rest are counted", async () => {
    nextViolations = HOSTILE["10,000 violations"]!;
    const decoded = decodeFieldViolations((await grpcError(call(client, "GetUser", { id: "1" }))).metadata)!;
    expect(decoded.violations.length).toBeGreaterThan(10);
    expect(decoded.omitted).toBe(10_000 - decoded.violations.length);
  });

  test("a handler that throws synchronously is answered like any other", async () => {
    const error = await grpcError(call(client, "CreateUser", { name: "x", email: "y" }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(decodeFieldViolations(error.metadata)?.violations).toEqual([{ field: "é", message: "sync" }]);
  });

  test("a failure while encoding the error is answered INTERNAL, and the server stays up", async () => {
    const poisoned = {
      toString() {
        throw new Error("cannot render");
      },
    };
    nextViolations = [{ field: poisoned as unknown as string, message: "x" }];
    const error = await grpcError(call(client, "GetUser", { id: "1" }));
    expect([error.code, error.details]).toEqual([grpc.status.INTERNAL, "internal error"]);
    nextViolations = [{ field: "id", message: "fine" }];
    expect((await grpcError(call(client, "GetUser", { id: "1" }))).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  test("a server stream ends with the same bounded details", async () => {
    const logger = quietLogger();
    const watch = serverStream("WatchJob", logger, async () => {
      throw new InvalidArgumentError(HOSTILE["10,000 violations"]!);
    });
    const { jobs } = await import("@platform/proto");
    const noop = unary("x", logger, async () => ({}));
    const streaming = await startGrpcServer({
      host: TEST_SERVER_CONFIG.HOST,
      port: 0,
      shutdownTimeoutMs: 1_000,
      logger,
      services: [
        {
          name: SERVICE_NAMES.jobs,
          definition: jobs.JobsService.service,
          implementation: Object.fromEntries(
            Object.keys(jobs.JobsService.service).map((name) => [name, name === "WatchJob" ? watch : noop]),
          ),
        },
      ],
    });
    const jobsClient = new jobs.JobsService(`127.0.0.1:${streaming.port}`, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      jobsClient
        .WatchJob({ id: "1" })
        .on("error", resolve)
        .on("data", () => {}),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(decodeFieldViolations(error.metadata)?.omitted).toBeGreaterThan(0);
    jobsClient.close();
    await streaming.shutdown();
  });
});

describe("encodeBadRequestStatus", () => {
  test("stays within the budget for any mix of sizes", () => {
    for (const count of [0, 1, 99, 100, 101, 5_000]) {
      for (const size of [1, 150, 600]) {
        const violations = Array.from({ length: count }, (_, i) => ({
          field: `f${i}${"ü".repeat(size)}`,
          message: "💥".repeat(size),
        }));
        const bytes = encodeBadRequestStatus(grpc.status.INVALID_ARGUMENT, "m".repeat(10_000), violations);
        expect(bytes.byteLength).toBeLessThanOrEqual(STATUS_DETAILS_BUDGET_BYTES);
        const metadata = new grpc.Metadata();
        metadata.set(STATUS_DETAILS_HEADER, bytes);
        const decoded = decodeFieldViolations(metadata)!;
        expect(decoded.violations.length + decoded.omitted).toBe(count);
      }
    }
  });

  test("garbage in the trailer decodes to nothing rather than throwing", () => {
    const metadata = new grpc.Metadata();
    metadata.set(STATUS_DETAILS_HEADER, Buffer.from([0xff, 0xff, 0xff, 0x01]));
    expect(decodeFieldViolations(metadata)).toBeUndefined();
    expect(decodeFieldViolations(new grpc.Metadata())).toBeUndefined();
  });

  test("truncate makes user text well-formed: a lone surrogate cannot break grpc-message encoding", () => {
    const lone = "name \uD800 here";
    expect(() => encodeURIComponent(lone)).toThrow();
    expect(truncate(lone, 500)).toBe("name \uFFFD here");
    expect(() => encodeURIComponent(truncate(lone, 500))).not.toThrow();
    expect(truncate("\uDC00".repeat(600), 3)).toBe("\uFFFD\uFFFD…");
  });

  test("truncate never splits a surrogate pair", () => {
    expect(truncate("🚀".repeat(10), 3)).toBe("🚀🚀…");
    expect(truncate("short", 10)).toBe("short");
  });
});
