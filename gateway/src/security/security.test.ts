// Response headers, CORS and login throttling, through the whole app.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../testing";

const fixtures: GatewayFixture[] = [];
afterAll(() => Promise.all(fixtures.map((f) => f.close())));
async function fixture(env: Record<string, string> = {}) {
  const gw = await startGatewayFixture(env);
  fixtures.push(gw);
  return gw;
}

describe("response headers", () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await fixture();
  });

  test.each([["GET", "/"], ["GET", "/nope"], ["GET", "/users/1"], ["POST", "/login"]])("%s %s carries the security headers and no x-powered-by", async (method, path) => {
    const response = await gw.req(method, path, method === "POST" ? { body: {} } : {});
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  test("CORS is off by default: no allow-origin for any origin", async () => {
    const response = await gw.req("GET", "/", { headers: { origin: "https://evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CORS with an allow-list", () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await fixture({ CORS_ALLOWED_ORIGINS: "https://console.example.com, https://admin.example.com" });
  });

  test("a listed origin is allowed, preflight included", async () => {
    const simple = await gw.req("GET", "/", { headers: { origin: "https://console.example.com" } });
    expect(simple.headers.get("access-control-allow-origin")).toBe("https://console.example.com");
    const preflight = await gw.req("OPTIONS", "/users/", {
      headers: { origin: "https://admin.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
  });

  test("an unlisted origin is not", async () => {
    const response = await gw.req("GET", "/", { headers: { origin: "https://console.example.com.evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a malformed allow-list fails at start", async () => {
    await expect(startGatewayFixture({ CORS_ALLOWED_ORIGINS: "not an origin" })).rejects.toThrow(/CORS_ALLOWED_ORIGINS/);
  });
});

describe("login throttling", () => {
  const login = (gw: GatewayFixture, username: string, password: string, address = "203.0.113.9") =>
    gw.req("POST", "/login", { body: { username, password }, headers: { "x-forwarded-for": address } });

  test("failed attempts per username are bounded: then 429 with Retry-After, even with the right password", async () => {
    const gw = await fixture({ LOGIN_MAX_FAILURES_PER_USERNAME: "3", TRUSTED_PROXY_HOPS: "1" });
    for (let i = 0; i < 3; i++) expect((await login(gw, "admin", "guess", `198.51.100.${i}`)).status).toBe(401);
    const blocked = await login(gw, "ADMIN", "secret", "198.51.100.77");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { type: string }).type).toBe("urn:problem-type:too-many-login-attempts");
    // Another username is not affected.
    expect((await login(gw, "someone", "guess", "198.51.100.78")).status).toBe(401);
  });

  test("a success clears the username's failures", async () => {
    const gw = await fixture({ LOGIN_MAX_FAILURES_PER_USERNAME: "2" });
    expect((await login(gw, "admin", "guess")).status).toBe(401);
    expect((await login(gw, "admin", "secret")).status).toBe(200);
    expect((await login(gw, "admin", "guess")).status).toBe(401);
    expect((await login(gw, "admin", "secret")).status).toBe(200);
  });

  test("the time of a failed login does not depend on whether the username exists", async () => {
    const gw = await fixture({ LOGIN_MAX_FAILURES_PER_USERNAME: "1000", LOGIN_MAX_ATTEMPTS_PER_ADDRESS: "1000" });
    const created = await gw.req("POST", "/users/", { token: await gw.login(), body: { name: "Known", email: "known@example.com", password: "the-real-password-0123" } });
    expect(created.status).toBe(201);
    const median = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        expect((await login(gw, username, "wrong-password", `10.9.${i}.1`)).status).toBe(401);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[7]!;
    };
    // The configured admin (checked in the gateway), a user (checked by the users service) and nobody.
    const [admin, user, unknown] = [await median("admin"), await median("known@example.com"), await median("nobody-by-this-name@example.com")];
    const slowest = Math.max(admin, user, unknown);
    // Every branch runs one argon2id verification (tens of ms); skipping it on any branch breaks this bound.
    for (const time of [admin, user, unknown]) expect(slowest - time).toBeLessThan(slowest * 0.5 + 1);
  }, 60_000);
});
