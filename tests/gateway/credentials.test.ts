// Users with passwords and roles, end to end through the HTTP API: an admin
// creates them, they log in with their email, and their tokens get what the
// rules allow. Over real users services on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

// Real servers start here, and every login runs argon2id: more than bun's 5 s default.
setDefaultTimeout(30_000);

const PASSWORD = "tr0ub4dor&3-but-longer";
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe.each(TEST_BACKENDS)("users with credentials on %s", (backend) => {
  let gw: GatewayFixture;
  let admin: string;
  let pat: Record<string, any>;
  let other: Record<string, any>;
  const seen: string[] = []; // every response body, searched for the password at the end

  const send = async (method: string, path: string, options: Parameters<GatewayFixture["req"]>[2] = {}) => {
    const response = await gw.req(method, path, options);
    const text = await response.text();
    seen.push(text);
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    send("POST", "/login", { body: { username, password }, headers });

  beforeAll(async () => {
    gw = await startGatewayFixture({ LOGIN_MAX_FAILURES_PER_USERNAME: "3" }, backend);
    admin = await gw.login();
    other = (await send("POST", "/users/", { token: admin, body: { name: "Other", email: "other@example.com" } })).body;
  });
  afterAll(() => gw.close());

  test('an admin creates a user with a password: 201 with roles ["user"] and nothing about the password', async () => {
    const created = await send("POST", "/users/", {
      token: admin,
      body: { name: "Pat", email: "Pat@Example.com", password: PASSWORD },
    });
    expect(created.status).toBe(201);
    pat = created.body;
    expect(pat).toEqual({
      id: expect.any(Number),
      name: "Pat",
      email: "Pat@Example.com",
      roles: ["user"],
      created_at: expect.any(String),
    });
    expect(created.text).not.toMatch(/password|argon2/i);
  });

  test('the user logs in with their email, in any letter case: a token with sub, uid and roles ["user"]', async () => {
    const response = await login("pat@example.COM", PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: "bearer", expires_in: 1800 });
    const claims = claimsOf(response.body.access_token);
    expect(claims).toMatchObject({ sub: "Pat@Example.com", uid: pat.id, roles: ["user"] });
  });

  test("with that token: own record 200, another's 403, creating and listing users 403; jobs are open", async () => {
    const token = (await login("pat@example.com", PASSWORD)).body.access_token;
    const own = await send("GET", `/users/${pat.id}`, { token });
    expect(own.status).toBe(200);
    expect(own.body).toEqual(pat);
    expect((await send("GET", `/users/${other.id}`, { token })).status).toBe(403);
    expect(
      (
        await send("POST", "/users/", {
          token,
          body: { name: "Sneaky", email: "sneaky@example.com", roles: ["admin"] },
        })
      ).status,
    ).toBe(403);
    expect((await send("GET", "/users/", { token })).status).toBe(403);
    expect((await send("POST", "/jobs/", { token, body: { job_name: "mine" } })).status).toBe(201);
  });

  test("a wrong password and an unknown email are the same 401, byte for byte", async () => {
    const headers = { "x-request-id": "same-request-id" };
    const wrong = await login("pat@example.com", `${PASSWORD}x`, headers);
    const unknown = await login("nobody@example.com", PASSWORD, headers);
    const noPassword = await login("other@example.com", PASSWORD, headers);
    const notAnEmail = await login("   ", PASSWORD, headers);
    for (const failed of [wrong, unknown, noPassword, notAnEmail]) {
      expect(failed.status).toBe(401);
      expect(failed.headers.get("content-type")).toBe("application/problem+json");
      expect(failed.text).toBe(wrong.text);
    }
    expect(wrong.body).toMatchObject({
      type: "urn:problem-type:invalid-credentials",
      detail: "invalid username or password",
    });
  });

  test("failed logins of a user are throttled per username like the admin's", async () => {
    await send("POST", "/users/", {
      token: admin,
      body: { name: "Throttled", email: "throttled@example.com", password: PASSWORD },
    });
    for (let i = 0; i < 3; i++) expect((await login("throttled@example.com", "not-the-password")).status).toBe(401);
    // Spaces and letter case do not make a fresh budget: the users service ignores both.
    const blocked = await login(" THROTTLED@example.com ", PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test.each([
    ["too short", "short-11ch", "must be at least 12 characters"],
    ["too long", "p".repeat(1025), "must be at most 1024 characters"],
  ])("a password that is %s is a 422 naming the field, without echoing it", async (_, password, message) => {
    const response = await send("POST", "/users/", {
      token: admin,
      body: { name: "Weak", email: "weak@example.com", password },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: "password", message }]);
    expect(response.text).not.toContain(password);
  });

  test.each([[["root"]], [[]], [["user", "user"]], ["admin"]])("roles %p are a 422", async (roles) => {
    const response = await send("POST", "/users/", {
      token: admin,
      body: { name: "Odd", email: "odd@example.com", roles },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { field: expect.stringMatching(/^roles/), message: expect.stringMatching(/^must be /) },
    ]);
  });

  test('a user created with roles ["admin"] can create and list users', async () => {
    const created = await send("POST", "/users/", {
      token: admin,
      body: { name: "Second Admin", email: "boss@example.com", password: PASSWORD, roles: ["admin"] },
    });
    expect(created.body.roles).toEqual(["admin"]);
    const token = (await login("boss@example.com", PASSWORD)).body.access_token;
    expect(claimsOf(token)).toMatchObject({ sub: "boss@example.com", uid: created.body.id, roles: ["admin"] });
    expect(
      (await send("POST", "/users/", { token, body: { name: "Made By Boss", email: "made@example.com" } })).status,
    ).toBe(201);
    expect((await send("GET", `/users/${other.id}`, { token })).status).toBe(200);
    const list = await send("GET", "/users/?page_size=500", { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { email: string }) => u.email)).toContain("boss@example.com");
  });

  test("no response so far, lists included, contained the password or its hash", () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain("$argon2");
    }
  });

  test("with the users service down, users' logins are 503 while the configured admin still logs in", async () => {
    await gw.servers.users.shutdown();
    const user = await login("pat@example.com", PASSWORD);
    expect(user.status).toBe(503);
    expect(user.headers.get("content-type")).toBe("application/problem+json");
    expect((await login("admin", "secret")).status).toBe(200);
    // An outage is not a failed attempt: it did not count against the username.
    expect((await login("pat@example.com", PASSWORD)).status).toBe(503);
  });
});
