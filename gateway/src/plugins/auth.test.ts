// Every way a token can be wrong is a 401 problem with a Bearer challenge.
import { beforeAll, describe, expect, test } from "bun:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { createStubbedGateway, TEST_SECRET, type StubbedGateway } from "../testing";

// Canned answers: what the services say is not under test here, only who gets to ask.
const wireUser = (id: string, email: string = `user${id}@example.com`) => ({
  id,
  name: `User ${id}`,
  email,
  roles: ["ROLE_USER"],
  created_at: null,
});
let gw: StubbedGateway;
beforeAll(() => {
  gw = createStubbedGateway({}, {
    users: {
      CreateUser: (request) => wireUser(String(request.id ?? "1"), request.email),
      GetUser: (request) => wireUser(String(request.id)),
    },
    jobs: {
      CreateJob: (request) => ({
        id: "1",
        job_name: request.job_name,
        status: "JOB_STATUS_PENDING",
        kind: "",
        payload: "",
        result: "",
        error: "",
        worker_id: "",
        attempts: 0,
        max_attempts: 1,
        owner: request.owner,
        priority: 0,
        queue: "default",
        timeout_seconds: 0,
      }),
    },
  } as Parameters<typeof createStubbedGateway>[1]);
});

const key = (secret = TEST_SECRET) => new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown> = {}, options: { alg?: string; secret?: string } = {}) {
  // A user's role by default: these tests are about the token, not about what its roles allow.
  const {
    exp = now() + 600,
    iss = "api-gateway",
    aud = "microservices",
    sub = "admin",
    roles = ["user"],
    ...rest
  } = claims;
  const jwt = new SignJWT({ ...rest, sub, iss, aud, exp, roles } as Record<string, unknown>)
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .setIssuedAt();
  return jwt.sign(key(options.secret));
}

async function expect401(response: Response, detail?: string) {
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("www-authenticate")).toStartWith("Bearer");
  const body = (await response.json()) as { status: number; detail: string; request_id: string };
  expect(body.status).toBe(401);
  expect(body.request_id).toBe(response.headers.get("x-request-id")!);
  if (detail) expect(body.detail).toBe(detail);
}

describe("bearer authentication", () => {
  test("a token from /login opens the API", async () => {
    const response = await gw.req("GET", "/users/", { token: await gw.login() });
    expect(response.status).toBe(200);
  });

  test("a token the test signs with the same settings is accepted (the check is the signature, not the issuer process)", async () => {
    expect((await gw.req("GET", "/jobs/", { token: await token() })).status).toBe(200);
  });

  test("no Authorization header", async () => {
    await expect401(await gw.req("GET", "/users/1"), "missing bearer token");
  });

  test.each([["Basic YWRtaW46c2VjcmV0"], ["Bearer"], ["Bearer a b"], ["token abc"]])(
    "a malformed header: %s",
    async (header) => {
      await expect401(
        await gw.req("GET", "/users/1", { headers: { authorization: header } }),
        "the Authorization header must be 'Bearer <token>'",
      );
    },
  );

  const invalid = "the token is invalid or expired";
  const cases: [string, () => Promise<string>][] = [
    ["garbage", async () => "not.a.jwt"],
    ["a wrong signature", () => token({}, { secret: "another-secret-another-secret-another-secret" })],
    [
      "a tampered payload",
      async () => {
        const [header, , signature] = (await token()).split(".");
        const payload = Buffer.from(
          JSON.stringify({ sub: "root", iss: "api-gateway", aud: "microservices", exp: now() + 600 }),
        ).toString("base64url");
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      "alg none",
      async () =>
        new UnsecuredJWT({ sub: "admin", iss: "api-gateway", aud: "microservices" }).setExpirationTime("10m").encode(),
    ],
    ["another algorithm (HS512 while HS256 is configured)", () => token({}, { alg: "HS512" })],
    ["an expired token", () => token({ exp: now() - 3600 })],
    [
      "no exp claim",
      async () =>
        new SignJWT({ sub: "admin", iss: "api-gateway", aud: "microservices" })
          .setProtectedHeader({ alg: "HS256" })
          .sign(key()),
    ],
    ["a future nbf", () => token({ nbf: now() + 3600 })],
    ["a wrong issuer", () => token({ iss: "someone-else" })],
    ["a wrong audience", () => token({ aud: "another-api" })],
    [
      "no subject",
      async () =>
        new SignJWT({ iss: "api-gateway", aud: "microservices" })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime("10m")
          .sign(key()),
    ],
  ];
  test.each(cases)("%s", async (_, make) => {
    const response = await gw.req("GET", "/users/1", { token: await make() });
    await expect401(response, invalid);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  test("an expiry within the clock-skew leeway is still accepted", async () => {
    expect((await gw.req("GET", "/jobs/", { token: await token({ exp: now() - 5 }) })).status).toBe(200);
  });

  test("the login token carries the admin role", async () => {
    const claims = JSON.parse(Buffer.from((await gw.login()).split(".")[1]!, "base64url").toString());
    expect(claims.roles).toEqual(["admin"]);
  });

  test.each(["/users/", "/jobs/", "/pipelines/"])("%s needs a token for reads and writes", async (path) => {
    await expect401(await gw.req("GET", path));
    await expect401(await gw.req("POST", path, { body: { x: 1 } }));
  });
});

describe("authorization by role", () => {
  const asUser = (uid?: number, roles: unknown = ["user"]) => token({ roles, ...(uid === undefined ? {} : { uid }) });

  async function expect403(response: Response) {
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(((await response.json()) as { type: string }).type).toBe("urn:problem-type:forbidden");
  }

  test("creating and listing users needs the admin role", async () => {
    const user = await asUser(5);
    await expect403(await gw.req("POST", "/users/", { token: user, body: { name: "Eve", email: "eve@example.com" } }));
    await expect403(await gw.req("GET", "/users/", { token: user }));
    const admin = await token({ roles: ["admin"] });
    expect(
      (await gw.req("POST", "/users/", { token: admin, body: { id: 5, name: "Eve", email: "eve@example.com" } }))
        .status,
    ).toBe(201);
  });

  test("a user reads their own record and no other", async () => {
    expect((await gw.req("GET", "/users/5", { token: await asUser(5) })).status).toBe(200);
    await expect403(await gw.req("GET", "/users/6", { token: await asUser(5) }));
    await expect403(await gw.req("GET", "/users/5", { token: await asUser(undefined) }));
  });

  test("unknown or malformed roles grant nothing", async () => {
    await expect403(await gw.req("GET", "/users/", { token: await asUser(undefined, ["superuser", "ADMIN"]) }));
    await expect403(await gw.req("GET", "/users/", { token: await asUser(undefined, "admin") }));
  });

  test("a user creates and lists jobs and pipelines; a token without a known role reaches none", async () => {
    expect((await gw.req("POST", "/jobs/", { token: await asUser(5), body: { job_name: "mine" } })).status).toBe(201);
    expect((await gw.req("GET", "/pipelines/", { token: await asUser(5) })).status).toBe(200);
    for (const roles of [[], ["superuser"]]) {
      await expect403(await gw.req("GET", "/jobs/", { token: await asUser(5, roles) }));
      await expect403(
        await gw.req("POST", "/pipelines/", { token: await asUser(5, roles), body: { pipeline_name: "p" } }),
      );
      await expect403(await gw.req("POST", "/jobs/claim", { token: await asUser(5, roles), body: { worker_id: "w" } }));
    }
  });
});
