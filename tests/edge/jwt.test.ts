// jwt_authn at the edge (what the k8s rendering switches on), with the real
// Envoy and a real gateway sharing one HS256 secret: forged tokens stop at
// Envoy, real ones (from the gateway's /login) pass, public paths need none.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PROTECTED_PREFIXES, PUBLIC_PATHS, PUBLIC_PREFIXES } from "../../envoy/config";
import { jwksFor } from "../../envoy/jwks";
import { type RunningEnvoy, type RunningSystem, startSystem } from "@platform/harness";
import {
  accessLog,
  envoyBinary,
  expectProblem,
  login,
  request,
  startTestEnvoy,
  SUITE_SETUP_TIMEOUT_MS,
  waitFor,
} from "./support";

const SECRET = `edge-jwt-test-${crypto.randomUUID()}`;
const TEST_TIMEOUT_MS = 30_000;

let system: RunningSystem;
let envoy: RunningEnvoy;

beforeAll(async () => {
  envoyBinary();
  system = await startSystem({ gateways: 1, gatewayEnv: { JWT_SECRET_KEY: SECRET } });
  envoy = await startTestEnvoy(system.gateways, {
    jwt: {
      issuer: "api-gateway",
      audience: "microservices",
      clockSkewSeconds: 30,
      jwks: { inline: jwksFor(SECRET) },
      publicPaths: PUBLIC_PATHS,
      publicPrefixes: PUBLIC_PREFIXES,
      protectedPrefixes: PROTECTED_PREFIXES,
    },
  });
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([envoy, system].filter(Boolean).map((c) => c.stop("SIGKILL")));
});

/** An HS256 JWT signed with `secret` (no library: the point is to forge them). */
async function signHs256(claims: Record<string, unknown>, secret: string): Promise<string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${Buffer.from(signature).toString("base64url")}`;
}

const validClaims = () => ({
  sub: "admin",
  iss: "api-gateway",
  aud: "microservices",
  exp: Math.floor(Date.now() / 1000) + 600,
});

/** Asserts a 401 that Envoy answered itself: problem+json, and no gateway replica involved. */
async function expectRejectedAtEdge(token: string | undefined) {
  const requestId = `edge-jwt-${crypto.randomUUID()}`;
  const response = await request(`${envoy.url}/users/1`, {
    ...(token ? { token } : {}),
    headers: { "x-request-id": requestId },
  });
  expectProblem(response, 401, requestId);
  expect(response.body.type).toBe("urn:problem-type:unauthorized");
  expect(response.headers.get("x-served-by")).toBeNull();
  const entry = await waitFor("the 401 in Envoy's access log", () =>
    accessLog(envoy).find((e) => e.request_id === requestId),
  );
  expect(entry.upstream).toBeNull();
  expect(entry.details).toMatch(/jwt/i);
  expect(system.gateways[0]!.recentLines.some((line) => line.includes(requestId))).toBe(false);
}

describe("jwt_authn at the edge", () => {
  test(
    "public paths need no token",
    async () => {
      for (const path of PUBLIC_PATHS.filter((p) => p !== "/login")) {
        const response = await request(`${envoy.url}${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("x-served-by")).toBe("gateway-1");
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "an escaped slash in a path is Envoy's 400 here too, with a real token or none: no redirect, no upstream",
    async () => {
      const token = await login(envoy.url);
      for (const headers of [{ authorization: `Bearer ${token}` }, {}] as Record<string, string>[]) {
        const response = await fetch(`${envoy.url}/schedules/%5C`, { headers, redirect: "manual" });
        expect([response.status, response.headers.get("x-served-by")]).toEqual([400, null]);
        const text = await response.text();
        expectProblem({ status: response.status, headers: response.headers, body: JSON.parse(text), text }, 400);
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "the web console's pages and assets need no token; its event streams do",
    async () => {
      for (const path of ["/ui/", "/ui/pipelines/7"]) {
        const response = await fetch(`${envoy.url}${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      }
      const events = await request(`${envoy.url}/ui/api/pipelines/1/events`);
      expect(events.status).toBe(401);
      expect(events.headers.get("x-served-by")).toBeNull();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a real token from the gateway's /login passes both Envoy and the gateway",
    async () => {
      const token = await login(envoy.url);
      const created = await request(`${envoy.url}/users/`, {
        method: "POST",
        token,
        body: { id: 1, name: "John Doe", email: "john@example.com" },
      });
      expect(created.status).toBe(201);
      const read = await request(`${envoy.url}/users/1`, { token });
      expect(read.status).toBe(200);
      expect(read.headers.get("x-served-by")).toBe("gateway-1");
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a token signed with a different secret stops at Envoy with 401 problem+json",
    async () => {
      await expectRejectedAtEdge(await signHs256(validClaims(), "not-the-secret"));
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a token for another audience, an expired one, a missing one and garbage stop at Envoy",
    async () => {
      await expectRejectedAtEdge(await signHs256({ ...validClaims(), aud: "someone-else" }, SECRET));
      await expectRejectedAtEdge(
        await signHs256({ ...validClaims(), exp: Math.floor(Date.now() / 1000) - 3600 }, SECRET),
      );
      await expectRejectedAtEdge(undefined);
      await expectRejectedAtEdge("not.a.jwt");
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "the edge forwards the Authorization header: the gateway still checks the token itself",
    async () => {
      // Valid for Envoy (right secret, iss, aud, exp) but without `sub`, which only the gateway requires.
      const { sub: _sub, ...noSubject } = validClaims();
      const response = await request(`${envoy.url}/users/1`, { token: await signHs256(noSubject, SECRET) });
      expectProblem(response, 401);
      expect(response.headers.get("x-served-by")).toBe("gateway-1");
    },
    TEST_TIMEOUT_MS,
  );
});
