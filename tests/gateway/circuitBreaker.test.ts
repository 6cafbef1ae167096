// The breaker against a real users service that goes down and comes back:
// outages trip it, it then fails fast with 503 + Retry-After without calling,
// and after the cool-down a probe call closes it again once the service is up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl } from "@platform/kit/testing/db";
import { startUsersServer } from "../../services/users/src/server";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

const COOLDOWN_MS = 400;
let gw: GatewayFixture;
let token: string;
let users: RunningGrpcServer | undefined;
let port: number;
let db: Db;

beforeAll(async () => {
  db = openDatabase("users", { url: await createTestDatabaseUrl("sqlite"), dataDir: "", poolSize: 1 });
  users = await startUsersServer(TEST_SERVER_CONFIG, quietLogger(), db);
  port = users.port;
  gw = await startGatewayFixture({
    USER_SERVICE_URL: `127.0.0.1:${port}`,
    UPSTREAM_BREAKER_FAILURES: "3",
    UPSTREAM_BREAKER_WINDOW_MS: "10000",
    UPSTREAM_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
    UPSTREAM_TIMEOUT_MS: "2000",
  });
  token = await gw.login();
});
afterAll(async () => {
  await gw.close();
  await users?.shutdown();
  await db.close();
});

const getUsers = () => gw.req("GET", "/users/", { token });

describe("circuit breaker with a real upstream", () => {
  test("closed → open on outage → fails fast → half-open probe → closed when the service is back", async () => {
    const breaker = gw.upstreams.users.breaker;
    expect((await getUsers()).status).toBe(200);
    expect(breaker.state).toBe("closed");

    await users!.shutdown();
    users = undefined;
    for (let i = 0; i < 3; i++) {
      const response = await getUsers();
      expect(response.status).toBe(503);
      expect(((await response.json()) as { grpc_code: string }).grpc_code).toBe("UNAVAILABLE");
    }
    expect(breaker.state).toBe("open");

    // Open: answered at once, without a call (no gRPC retries and backoff).
    const started = performance.now();
    const fast = await getUsers();
    expect(performance.now() - started).toBeLessThan(50);
    expect(fast.status).toBe(503);
    expect(fast.headers.get("retry-after")).toBe("1");
    expect(((await fast.json()) as { circuit: string }).circuit).toBe("open");

    // Still down after the cool-down: the probe fails and the circuit opens again.
    await Bun.sleep(COOLDOWN_MS + 50);
    expect((await getUsers()).status).toBe(503);
    expect(breaker.state).toBe("open");

    // The service comes back on the same address; within a few cool-downs a probe gets through.
    users = await startUsersServer({ ...TEST_SERVER_CONFIG, PORT: port }, quietLogger(), db);
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await getUsers()).status;
      if (status === 200) break;
      await Bun.sleep(100);
    }
    expect(status).toBe(200);
    expect(breaker.state).toBe("closed");
    expect((await getUsers()).status).toBe(200);
  }, 30_000);

  test("answers from a healthy upstream, errors included, never trip it", async () => {
    const breaker = gw.upstreams.users.breaker;
    for (let i = 0; i < 5; i++) expect((await gw.req("GET", "/users/999999", { token })).status).toBe(404);
    expect(breaker.state).toBe("closed");
  });
});
