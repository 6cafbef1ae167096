// Response headers, CORS and login throttling, through the whole app.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { createStubbedGateway, type StubbedGateway } from "../testing";

const fixtures: StubbedGateway[] = [];
afterAll(() => Promise.all(fixtures.map((f) => f.close())));
async function fixture(env: Record<string, string> = {}) {
  const gw = await createStubbedGateway(env);
  fixtures.push(gw);
  return gw;
}

describe("response headers", () => {
  let gw: StubbedGateway;
  beforeAll(async () => {
    gw = await fixture();
  });

  test.each([
    ["GET", "/"],
    ["GET", "/nope"],
    ["GET", "/users/1"],
    ["POST", "/login"],
  ])("%s %s carries the security headers and no x-powered-by", async (method, path) => {
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
  let gw: StubbedGateway;
  beforeAll(async () => {
    gw = await fixture({ CORS_ALLOWED_ORIGINS: "https://console.example.com, https://admin.example.com" });
  });

  test("a listed origin is allowed, preflight included", async () => {
    const simple = await gw.req("GET", "/", { headers: { origin: "https://console.example.com" } });
    expect(simple.headers.get("access-control-allow-origin")).toBe("https://console.example.com");
    const preflight = await gw.req("OPTIONS", "/users/", {
      headers: {
        origin: "https://admin.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
  });

  test("an unlisted origin is not", async () => {
    const response = await gw.req("GET", "/", { headers: { origin: "https://console.example.com.evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a malformed allow-list fails at start", async () => {
    expect(() => createStubbedGateway({ CORS_ALLOWED_ORIGINS: "not an origin" })).toThrow(/CORS_ALLOWED_ORIGINS/);
  });
});

describe("login throttling", () => {
  const login = (gw: StubbedGateway, username: string, password: string, address = "203.0.113.9") =>
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

  // Response times must not tell the admin's username, a user's email and nobody apart:
  // every branch costs exactly one argon2id verification. The admin's runs here; a
  // user's (known, unknown or wrong password) runs in the users service, which checks
  // unknown emails against a dummy hash (services/users/src/domain/credentials.test.ts).
  // Timing itself is the benchmark's to measure, not a test's.
  test("every login, whichever branch it takes, performs exactly one password verification", async () => {
    const known = { id: "7", name: "Known", email: "known@example.com", roles: ["ROLE_USER"], created_at: null };
    const gw = createStubbedGateway(
      { LOGIN_MAX_FAILURES_PER_USERNAME: "1000", LOGIN_MAX_ATTEMPTS_PER_ADDRESS: "1000" },
      {
        users: {
          VerifyCredentials: (request) =>
            request.email === known.email && request.password === "the-real-password-0123"
              ? { valid: true, user: known }
              : { valid: false, user: null },
        },
      } as Parameters<typeof createStubbedGateway>[1],
    );
    const verify = spyOn(Bun.password, "verify");
    try {
      const branches: [string, string, number][] = [
        ["admin", "wrong-password", 401],
        ["admin", "secret", 200],
        ["known@example.com", "wrong-password", 401],
        ["known@example.com", "the-real-password-0123", 200],
        ["nobody-by-this-name@example.com", "wrong-password", 401],
      ];
      for (const [username, password, status] of branches) {
        const [gatewayBefore, serviceBefore] = [
          verify.mock.calls.length,
          gw.upstreams.users.callsOf("VerifyCredentials").length,
        ];
        expect((await login(gw, username, password)).status).toBe(status);
        const gatewayVerifications = verify.mock.calls.length - gatewayBefore;
        const serviceVerifications = gw.upstreams.users.callsOf("VerifyCredentials").length - serviceBefore;
        expect({ username, password, verifications: gatewayVerifications + serviceVerifications }).toEqual({
          username,
          password,
          verifications: 1,
        });
        // The admin is checked here and never sent to the users service; everyone else is the service's to check.
        expect(gatewayVerifications).toBe(username === "admin" ? 1 : 0);
      }
    } finally {
      verify.mockRestore();
    }
  });

  // The admin's hash costs ~150 ms and 64 MiB: not at start, but made by the first login
  // whatever its username, so that login's time tells nobody apart either.
  test("the admin password is hashed once, by the replica's first login whoever it is for, not at start", async () => {
    const hash = spyOn(Bun.password, "hash");
    try {
      const gw = createStubbedGateway({}, {
        users: { VerifyCredentials: () => ({ valid: false, user: null }) },
      } as Parameters<typeof createStubbedGateway>[1]);
      expect(hash).toHaveBeenCalledTimes(0);
      expect((await login(gw, "somebody@example.com", "wrong-password")).status).toBe(401);
      expect(hash).toHaveBeenCalledTimes(1);
      expect((await login(gw, "admin", "secret")).status).toBe(200);
      expect((await login(gw, "admin", "wrong-password")).status).toBe(401);
      expect(hash).toHaveBeenCalledTimes(1);
    } finally {
      hash.mockRestore();
    }
  });
});
