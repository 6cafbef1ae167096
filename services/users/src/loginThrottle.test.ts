// The shared login throttle: its window rule (pure), its store on SQLite and on
// PostgreSQL (atomic counts from many callers at once, expiry, pruning), and the
// AdmitLogin / RecordLoginResult RPCs over a real gRPC server.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { migrate, openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { users, type AdmitLoginResponse__Output } from "@platform/proto";
import { admit, countIn, usernameKey, validateThrottleRequest } from "./domain/loginThrottle";
import { startUsersServer } from "./server";
import { LoginThrottleStore } from "./store/loginThrottleStore";
import { USERS_MIGRATIONS } from "./store/migrations";

setDefaultTimeout(30_000);

const LIMITS = { maxAttemptsPerAddress: 3, maxFailuresPerUsername: 2, windowSeconds: 60 };

describe("the window rule", () => {
  test("a count opens a window, counts within it, and starts afresh once it expired", () => {
    const first = countIn(undefined, 1_000, 500);
    expect(first).toEqual({ count: 1, expiresAt: 1_500 });
    const second = countIn(first, 1_499, 500);
    expect(second).toEqual({ count: 2, expiresAt: 1_500 });
    expect(countIn(second, 1_500, 500)).toEqual({ count: 1, expiresAt: 2_000 });
  });

  test("an address makes max attempts; the next is refused until its window ends", () => {
    expect(admit({ count: 3, expiresAt: 2_000 }, undefined, 1_000, LIMITS)).toEqual({ allowed: true });
    expect(admit({ count: 4, expiresAt: 2_000 }, undefined, 1_000, LIMITS)).toEqual({
      allowed: false,
      retryAfterMs: 1_000,
    });
  });

  test("a username with max failures in a live window is refused; an expired window is not counted", () => {
    const attempt = { count: 1, expiresAt: 5_000 };
    expect(admit(attempt, { count: 1, expiresAt: 3_000 }, 1_000, LIMITS)).toEqual({ allowed: true });
    expect(admit(attempt, { count: 2, expiresAt: 3_000 }, 1_000, LIMITS)).toEqual({
      allowed: false,
      retryAfterMs: 2_000,
    });
    expect(admit(attempt, { count: 2, expiresAt: 1_000 }, 1_000, LIMITS)).toEqual({ allowed: true });
  });

  test("usernames are one key whatever their case, spacing or Unicode form", () => {
    expect(usernameKey(" Pat@Example.COM ")).toBe(usernameKey("pat@example.com"));
    expect(usernameKey("ｐａｔ@example.com")).toBe(usernameKey("pat@example.com"));
  });

  test("requests without limits, with absurd limits or with empty keys are refused", () => {
    expect(() => validateThrottleRequest({ username: "a", address: "b", limits: null })).toThrow();
    expect(() =>
      validateThrottleRequest({ username: "a", address: "b", limits: { ...LIMITS, windowSeconds: 0 } }),
    ).toThrow();
    expect(() => validateThrottleRequest({ username: "", address: "b", limits: LIMITS })).toThrow();
    expect(() => validateThrottleRequest({ username: "a", address: "", limits: LIMITS })).toThrow();
    expect(validateThrottleRequest({ username: "a", address: "b", limits: LIMITS })).toEqual(LIMITS);
  });
});

describe.each(TEST_BACKENDS)("the login throttle on %s", (backend) => {
  let db: Db;
  let store: LoginThrottleStore;
  let server: RunningGrpcServer;
  let client: grpc.Client;

  beforeAll(async () => {
    db = openDatabase("users", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 8 });
    await migrate(db, "users", USERS_MIGRATIONS);
    store = new LoginThrottleStore(db);
    server = await startUsersServer(TEST_SERVER_CONFIG, quietLogger(), db);
    client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await server.shutdown();
    await db.close();
  });

  test("counts from many callers at once are never lost", async () => {
    const windows = await Promise.all(
      Array.from({ length: 40 }, () => store.count("address:concurrent", 1_000, 60_000)),
    );
    expect(windows.map((w) => w.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await store.peek("address:concurrent", 1_000)).toEqual({ count: 40, expiresAt: 61_000 });
  });

  test("the store follows the window rule: an expired window starts afresh, and is invisible to peek", async () => {
    expect(await store.count("username:w", 1_000, 500)).toEqual(countIn(undefined, 1_000, 500));
    expect(await store.count("username:w", 1_400, 500)).toEqual({ count: 2, expiresAt: 1_500 });
    expect(await store.peek("username:w", 1_500)).toBeUndefined();
    expect(await store.count("username:w", 1_500, 500)).toEqual({ count: 1, expiresAt: 2_000 });
  });

  test("pruning deletes expired windows only", async () => {
    await store.count("address:old", 1_000, 10);
    await store.count("address:live", 1_000, 1_000_000);
    expect(await store.prune(5_000)).toBeGreaterThanOrEqual(1);
    const keys = (await db.all<{ key: string }>("SELECT key FROM login_throttle")).map((r) => r.key);
    expect(keys).not.toContain("address:old");
    expect(keys).toContain("address:live");
  });

  const wire = { max_attempts_per_address: 3, max_failures_per_username: 2, window_seconds: 60 };
  const admitLogin = (username: string, address: string) =>
    call<object, AdmitLoginResponse__Output>(client, "AdmitLogin", { username, address, limits: wire });
  const record = (username: string, succeeded: boolean) =>
    call(client, "RecordLoginResult", { username, succeeded, limits: wire });

  test("AdmitLogin and RecordLoginResult: failures lock the username (any case), a success clears them", async () => {
    expect((await admitLogin("Kim@example.com", "198.51.100.1")).allowed).toBe(true);
    await record("kim@example.com", false);
    await record(" KIM@example.com", false);
    const refused = await admitLogin("kim@EXAMPLE.com", "198.51.100.2");
    expect(refused.allowed).toBe(false);
    expect(Number(refused.retry_after_ms)).toBeGreaterThan(0);
    expect(Number(refused.retry_after_ms)).toBeLessThanOrEqual(60_000);
    await record("kim@example.com", true);
    expect((await admitLogin("kim@example.com", "198.51.100.3")).allowed).toBe(true);
  });

  test("AdmitLogin counts every attempt per address", async () => {
    for (let i = 0; i < 3; i++) expect((await admitLogin(`u${i}@example.com`, "192.0.2.50")).allowed).toBe(true);
    expect((await admitLogin("other@example.com", "192.0.2.50")).allowed).toBe(false);
    expect((await admitLogin("other@example.com", "192.0.2.51")).allowed).toBe(true);
  });

  test("a request without limits is INVALID_ARGUMENT", async () => {
    const error = await grpcError(call(client, "AdmitLogin", { username: "a", address: "b" }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
