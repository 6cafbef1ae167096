// The HTTP API through app.handle, over real gRPC services.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

let gw: GatewayFixture;
let token: string;
beforeAll(async () => {
  gw = await startGatewayFixture({ MAX_BODY_BYTES: "2048" });
  token = await gw.login();
});
afterAll(() => gw.close());

const json = async (response: Response) => (await response.json()) as Record<string, any>;

async function expectProblem(response: Response, status: number, type?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await json(response);
  // Field by field: bun's toMatchObject with asymmetric matchers rewrites the object it checks.
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(body.type).toStartWith("urn:problem-type:");
  expect(body.request_id).toBe(response.headers.get("x-request-id"));
  if (type) expect(body.type).toBe(`urn:problem-type:${type}`);
  return body;
}

describe("login", () => {
  test("the seed's credentials get a bearer token", async () => {
    const response = await gw.req("POST", "/login", { body: { username: "admin", password: "secret" } });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: "bearer",
      expires_in: 1800,
    });
    const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ sub: "admin", iss: "api-gateway", aud: "microservices" });
    expect(claims.exp - claims.iat).toBe(1800);
  });

  test.each([
    ["a wrong password", { username: "admin", password: "wrong" }],
    ["an unknown user", { username: "root", password: "secret" }],
  ])("%s is 401", async (_, body) => {
    const problem = await expectProblem(await gw.req("POST", "/login", { body }), 401, "invalid-credentials");
    expect(problem.detail).toBe("invalid username or password");
  });

  test("missing fields are 422, each named", async () => {
    const problem = await expectProblem(await gw.req("POST", "/login", { body: {} }), 422, "validation-error");
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(["password", "username"]);
  });
});

describe("users", () => {
  test("POST /users/ creates the seed's user; GET /users/1 reads it back", async () => {
    const response = await gw.req("POST", "/users/", {
      token,
      body: { id: 1, name: "John Doe", email: "john@example.com" },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/users/1");
    const created = await json(response);
    expect(created).toEqual({
      id: 1,
      name: "John Doe",
      email: "john@example.com",
      roles: ["user"],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(await json(await gw.req("GET", "/users/1", { token }))).toEqual(created);
  });

  test("paths work with and without the trailing slash", async () => {
    expect((await gw.req("GET", "/users", { token })).status).toBe(200);
    expect((await gw.req("GET", "/users/1/", { token })).status).toBe(200);
    expect(
      (await gw.req("POST", "/users", { token, body: { name: "No Slash", email: "noslash@example.com" } })).status,
    ).toBe(201);
  });

  test("a duplicate id or email is 409 with the gRPC code", async () => {
    const byId = await expectProblem(
      await gw.req("POST", "/users/", { token, body: { id: 1, name: "X", email: "x@example.com" } }),
      409,
      "conflict",
    );
    expect(byId.grpc_code).toBe("ALREADY_EXISTS");
    await expectProblem(
      await gw.req("POST", "/users/", { token, body: { name: "X", email: "John@Example.com" } }),
      409,
    );
  });

  test("an unknown id is 404 with the service's message", async () => {
    const problem = await expectProblem(await gw.req("GET", "/users/424242", { token }), 404, "not-found");
    expect([problem.detail, problem.grpc_code]).toEqual(["user 424242 not found", "NOT_FOUND"]);
  });

  test("wrong types, extra fields and bad emails are 422, listing each field", async () => {
    const problem = await expectProblem(
      await gw.req("POST", "/users/", { token, body: { id: "one", name: 5, email: 42, admin: true } }),
      422,
      "validation-error",
    );
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(["admin", "email", "id", "name"]);
    // A well-typed but malformed email is judged by the users service, with the same message.
    const malformed = await expectProblem(
      await gw.req("POST", "/users/", { token, body: { name: "N", email: "nope" } }),
      422,
    );
    expect(malformed.errors).toEqual([{ field: "email", message: "must be a valid email address" }]);
  });

  test("a name of only spaces breaks the documented name pattern: 422 with the field, before any service", async () => {
    const problem = await expectProblem(
      await gw.req("POST", "/users/", { token, body: { name: "   ", email: "spaces@example.com" } }),
      422,
    );
    expect(problem.errors).toEqual([{ field: "name", message: "must not be empty" }]);
    expect(problem.grpc_code).toBeUndefined();
  });

  test.each(["0", "-1", "abc", "1.5", "1e3", "9007199254740992", "99999999999999999999"])(
    "GET /users/%s is 422",
    async (id) => {
      const problem = await expectProblem(await gw.req("GET", `/users/${id}`, { token }), 422, "validation-error");
      expect(problem.errors[0].field).toBe("id");
    },
  );

  test.each([['"5"'], ["1.5"], ["0"], ["-3"], ["9007199254740993"], ["true"], ["null"]])(
    "a body id of %s is 422",
    async (id) => {
      const problem = await expectProblem(
        await gw.req("POST", "/users/", { token, body: `{"id": ${id}, "name": "N", "email": "n@example.com"}` }),
        422,
      );
      expect(problem.errors).toEqual([{ field: "id", message: "must be an integer between 1 and 9007199254740991" }]);
    },
  );

  test("ids up to 2^53-1 are accepted, also with a zero fraction (an integer to JSON Schema)", async () => {
    const response = await gw.req("POST", "/users/", {
      token,
      body: { id: Number.MAX_SAFE_INTEGER, name: "Max", email: "max@example.com" },
    });
    expect((await json(response)).id).toBe(Number.MAX_SAFE_INTEGER);
    expect((await gw.req("GET", `/users/${Number.MAX_SAFE_INTEGER}`, { token })).status).toBe(200);
    const written = await gw.req("GET", `/users/${Number.MAX_SAFE_INTEGER}.0`, { token });
    expect((await json(written)).id).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("GET /users/ pages with an opaque cursor", async () => {
    for (let i = 0; i < 3; i++)
      await gw.req("POST", "/users/", { token, body: { name: `P${i}`, email: `p${i}@example.com` } });
    const first = await json(await gw.req("GET", "/users/?page_size=2", { token }));
    expect(first.items).toHaveLength(2);
    expect(first.next_page_token).not.toBe("");
    const rest = await json(
      await gw.req("GET", `/users/?page_size=100&page_token=${first.next_page_token}`, { token }),
    );
    const ids = [...first.items, ...rest.items].map((u: { id: number }) => u.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(rest.next_page_token).toBe("");
  });

  test.each(["page_size=0", "page_size=501", "page_size=x", "page_token=forged"])(
    "GET /users/?%s is 422",
    async (query) => {
      await expectProblem(await gw.req("GET", `/users/?${query}`, { token }), 422);
    },
  );
});

describe("jobs and pipelines", () => {
  test("the seed's job: created PENDING, read back", async () => {
    const created = await json(await gw.req("POST", "/jobs/", { token, body: { job_name: "Data Processing Job" } }));
    expect([typeof created.id, created.job_name, created.status]).toEqual(["number", "Data Processing Job", "PENDING"]);
    expect(await json(await gw.req("GET", `/jobs/${created.id}`, { token }))).toEqual(created);
    expect((await json(await gw.req("GET", "/jobs/", { token }))).items).toContainEqual(created);
  });

  test("the seed's pipeline: created PENDING, read back", async () => {
    const created = await json(
      await gw.req("POST", "/pipelines/", { token, body: { pipeline_name: "ML Training Pipeline" } }),
    );
    expect([typeof created.id, created.pipeline_name, created.status]).toEqual([
      "number",
      "ML Training Pipeline",
      "PENDING",
    ]);
    expect(await json(await gw.req("GET", `/pipelines/${created.id}`, { token }))).toEqual(created);
  });

  test("missing names are 422", async () => {
    await expectProblem(await gw.req("POST", "/jobs/", { token, body: {} }), 422);
    await expectProblem(await gw.req("POST", "/pipelines/", { token, body: { pipeline_name: "" } }), 422);
  });

  test("unknown ids are 404", async () => {
    await expectProblem(await gw.req("GET", "/jobs/777", { token }), 404);
    await expectProblem(await gw.req("GET", "/pipelines/777", { token }), 404);
  });
});

describe("request handling", () => {
  test("malformed JSON is 400", async () => {
    await expectProblem(await gw.req("POST", "/jobs/", { token, body: '{"job_name": ' }), 400, "malformed-body");
  });

  test("a body that is not JSON is 415", async () => {
    await expectProblem(
      await gw.req("POST", "/jobs/", {
        token,
        body: "job_name=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
    );
  });

  test("an empty body is 422", async () => {
    await expectProblem(
      await gw.req("POST", "/jobs/", { token, body: "", headers: { "content-type": "application/json" } }),
      422,
    );
  });

  test("an oversized body is 413, by declared length and by actual bytes", async () => {
    const big = JSON.stringify({ job_name: "x".repeat(4096) });
    await expectProblem(await gw.req("POST", "/jobs/", { token, body: big }), 413, "payload-too-large");
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const response = await gw.app.handle(
      new Request("http://localhost/jobs/", {
        method: "POST",
        body: streamed,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      }),
    );
    await expectProblem(response, 413);
  });

  test("unknown routes are 404 problems", async () => {
    await expectProblem(await gw.req("GET", "/nope"), 404, "not-found");
    const wrongMethod = await gw.req("DELETE", "/users/1", { token });
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
    await expectProblem(wrongMethod, 405, "method-not-allowed");
  });

  test("a sane x-request-id is echoed; an unsafe one is replaced", async () => {
    const echoed = await gw.req("GET", "/healthz", { headers: { "x-request-id": "abc-123" } });
    expect(echoed.headers.get("x-request-id")).toBe("abc-123");
    const replaced = await gw.req("GET", "/healthz", { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("responses name the replica that served them", async () => {
    expect((await gw.req("GET", "/")).headers.get("x-served-by")).toBe("test-replica");
  });
});

describe("health", () => {
  test("GET / reports the service status", async () => {
    expect(await json(await gw.req("GET", "/"))).toMatchObject({ service: "api-gateway", status: "ok" });
  });

  test("/healthz is alive, /readyz says this replica can serve, /health/dependencies sees every upstream serving", async () => {
    expect((await gw.req("GET", "/healthz")).status).toBe(200);
    const ready = await gw.req("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(await json(ready)).toEqual({ status: "ready", replica: "test-replica" });
    const dependencies = await gw.req("GET", "/health/dependencies");
    expect(dependencies.status).toBe(200);
    expect(await json(dependencies)).toEqual({
      status: "ok",
      upstreams: { users: "SERVING", jobs: "SERVING", pipelines: "SERVING" },
      circuits: { users: "closed", jobs: "closed", pipelines: "closed" },
    });
  });

  test("/readyz fails while draining, and /healthz stays up", async () => {
    gw.lifecycle.draining = true;
    try {
      await expectProblem(await gw.req("GET", "/readyz"), 503, "not-ready");
      expect((await gw.req("GET", "/healthz")).status).toBe(200);
    } finally {
      gw.lifecycle.draining = false;
    }
  });
});
