// The login throttle is one budget for every gateway replica: two replicas on one
// users service (its database on SQLite, then on PostgreSQL) count the same
// failures per username and the same attempts per address; with the users
// service down, each replica falls back to counters of its own, so the
// configured account still logs in.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { startSystem, type RunningSystem } from "@platform/harness";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(60_000);

const systems: RunningSystem[] = [];
afterAll(() => Promise.all(systems.map((s) => s.stop())));

// Every request comes from 127.0.0.1 (no trusted proxies): one address for the whole test.
const FAILURES_PER_USERNAME = 10;
const ATTEMPTS_PER_ADDRESS = 16;

describe.each(TEST_BACKENDS)("two gateway replicas on one users service (%s)", (backend) => {
  test("share the failures per username and the attempts per address, and fall back to their own counters when users is down", async () => {
    const lines: string[] = [];
    const system = await startSystem({
      gateways: 2,
      gatewayEnv: {
        LOGIN_MAX_FAILURES_PER_USERNAME: String(FAILURES_PER_USERNAME),
        LOGIN_MAX_ATTEMPTS_PER_ADDRESS: String(ATTEMPTS_PER_ADDRESS),
        TRUSTED_PROXY_HOPS: "0",
      },
      serviceEnv: backend === "postgres" ? { users: { DATABASE_URL: await createTestDatabaseUrl("postgres") } } : {},
      onLine: (component, line) => lines.push(`${component} ${line}`),
    });
    systems.push(system);
    const [one, two] = system.gateways.map((g) => `http://127.0.0.1:${g.port}`) as [string, string];
    const login = (base: string, username: string, password: string) =>
      fetch(`${base}/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password }),
      });

    // Failures per username: 10 on replica 1 lock the username on replica 2, right password or not.
    for (let i = 0; i < FAILURES_PER_USERNAME; i++) expect((await login(one, "admin", `guess-${i}`)).status).toBe(401);
    const locked = await login(two, "admin", "secret");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await locked.json()) as { type: string }).type).toBe("urn:problem-type:too-many-login-attempts");

    // Attempts per address: 11 counted so far (10 on replica 1, 1 on replica 2); 5 more
    // on replica 2 spend the budget, and replica 1, which saw only 11, refuses the next.
    for (let i = 0; i < ATTEMPTS_PER_ADDRESS - FAILURES_PER_USERNAME - 1; i++)
      expect((await login(two, `someone-${i}@example.com`, "guess")).status).toBe(401);
    const refused = await login(one, "fresh@example.com", "guess");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    // The users service goes down: the configured account still logs in (the
    // replica counts on its own now), a user's login is a 503, and the fallback
    // is logged once however many logins go through it.
    await system.services.users.stop("SIGKILL");
    expect((await login(one, "admin", "secret")).status).toBe(200);
    expect((await login(one, "admin", "secret")).status).toBe(200);
    expect((await login(one, "pat@example.com", "guess")).status).toBe(503);
    expect(
      lines.filter((l) => l.startsWith("gateway-1 ") && l.includes("shared login throttle is unreachable")),
    ).toHaveLength(1);
    // The fallback still throttles: the address's own budget on this replica runs out.
    let status = 0;
    for (let i = 0; i < ATTEMPTS_PER_ADDRESS && status !== 429; i++)
      status = (await login(one, "admin", "wrong")).status;
    expect(status).toBe(429);
  });
});
