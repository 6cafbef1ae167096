// The error cases, against the whole system as real processes: every one is a
// precise problem+json, and losing a service costs a 503, not the gateway.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { startSystem, type RunningSystem } from "@platform/harness";
import { eventually } from "@platform/kit/testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

const SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";
let system: RunningSystem;
let token: string;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { JWT_SECRET_KEY: SECRET, MAX_BODY_BYTES: "4096" } });
  const login = await fetch(`${system.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"username":"admin","password":"secret"}',
  });
  token = ((await login.json()) as { access_token: string }).access_token;
});
afterAll(() => system.stop());

async function send(
  method: string,
  path: string,
  options: { body?: string; token?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${system.url}${path}`, { method, headers, body: options.body });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

function expectProblem(result: Awaited<ReturnType<typeof send>>, status: number) {
  expect(result.status).toBe(status);
  expect(result.contentType).toBe("application/problem+json");
  expect(result.body.status).toBe(status);
  expect(result.body.request_id).toBe(result.headers.get("x-request-id"));
  expect(JSON.stringify(result.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
}

const key = new TextEncoder().encode(SECRET);
const claims = { sub: "admin", iss: "api-gateway", aud: "microservices" };

describe("errors end to end", () => {
  test("a bad login is 401", async () => {
    expectProblem(await send("POST", "/login", { body: '{"username":"admin","password":"wrong"}' }), 401);
  });

  test("no token, an expired token, a tampered token and an alg:none token are 401", async () => {
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(0)
      .setExpirationTime(60)
      .sign(key);
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "root" })).toString("base64url")}.${s}`;
    const none = new UnsecuredJWT(claims).setExpirationTime("10m").encode();
    for (const bad of [undefined, expired, tampered, none]) {
      const result = await send("GET", "/users/1", { token: bad });
      expectProblem(result, 401);
      expect(result.headers.get("www-authenticate")).toStartWith("Bearer");
    }
  });

  test("malformed JSON is 400 and wrong types are 422 naming the fields", async () => {
    expectProblem(await send("POST", "/users/", { token, body: '{"id": 1, "name": ' }), 400);
    const wrong = await send("POST", "/users/", { token, body: '{"id": "1", "name": ["John"], "email": 42}' });
    expectProblem(wrong, 422);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["email", "id", "name"]);
  });

  test("an unknown id is 404 and a duplicate user is 409", async () => {
    expectProblem(await send("GET", "/users/31337", { token }), 404);
    const body = '{"id": 7, "name": "Dup", "email": "dup@example.com"}';
    expect((await send("POST", "/users/", { token, body })).status).toBe(201);
    expectProblem(await send("POST", "/users/", { token, body }), 409);
  });

  test("an oversized body is 413", async () => {
    expectProblem(await send("POST", "/jobs/", { token, body: JSON.stringify({ job_name: "x".repeat(10_000) }) }), 413);
  });

  test("a service that dies is a 503; the gateway stays up and recovers nothing it should not", async () => {
    await system.services.jobs.stop("SIGKILL");
    const down = await send("GET", "/jobs/1", { token });
    expectProblem(down, 503);
    expect(down.body.grpc_code).toBe("UNAVAILABLE");
    // Readiness is the gateway's own; the outage shows on the dependency endpoint.
    expect((await send("GET", "/readyz")).status).toBe(200);
    expectProblem(await send("GET", "/health/dependencies"), 503);
    expect((await send("GET", "/healthz")).status).toBe(200);
    expect((await send("POST", "/pipelines/", { token, body: '{"pipeline_name": "still works"}' })).status).toBe(201);
    expect(system.gateways[0]!.process.exitCode).toBeNull();
    // The gateway's log says which upstream stopped answering, once, not a line per call.
    const warned = () =>
      system.gateways[0]!.recentLines.filter(
        (line) => line.includes('"gRPC connection failed"') && line.includes('"upstream":"jobs.v1.JobsService"'),
      );
    await eventually(() => (warned().length > 0 ? true : undefined), 10_000, "the gateway's warning");
    expect(warned()).toHaveLength(1);
  });
});
