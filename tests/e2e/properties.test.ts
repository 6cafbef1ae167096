// Property-based: whatever a client sends, the gateway answers below 500 with
// either the documented success shape or a problem+json, and what it says it
// stored reads back exactly. Bodies, paths and headers come from fast-check.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { startSystem, type RunningSystem } from "@platform/harness";

let system: RunningSystem;
let token: string;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { LOG_LEVEL: "warn" } });
  const login = await fetch(`${system.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"username":"admin","password":"secret"}',
  });
  token = ((await login.json()) as { access_token: string }).access_token;
});
afterAll(() => system.stop());

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

async function send(method: string, path: string, body?: string, contentType = "application/json") {
  const response = await fetch(`${system.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", text };
}

function assertWellFormed(result: Awaited<ReturnType<typeof send>>) {
  expect(result.status).toBeLessThan(500);
  if (result.status >= 400) {
    expect(result.type).toBe("application/problem+json");
    const problem = JSON.parse(result.text);
    expect(problem.status).toBe(result.status);
    expect(typeof problem.detail).toBe("string");
    expect(result.text).not.toMatch(/node_modules|\.ts:\d+|at async /);
  } else {
    expect(result.type).toStartWith("application/json");
  }
}

// Strings with the nasty parts: unicode, control characters, SQL, HTML, paths.
const nastyString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom(
    "'; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "\u202e\u0000",
    "Robert'); --",
    "𝕌𝕟𝕚𝕔𝕠𝕕𝕖 ✓",
    "",
  ),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });

describe("properties of the HTTP API", () => {
  test("POST /users/ with arbitrary bodies: < 500, and a created user reads back verbatim", async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ name: nastyString, email: fc.oneof(fc.emailAddress(), nastyString) }, { requiredKeys: [] }),
          fc.record({
            id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
            name: nastyString,
            email: fc.emailAddress(),
          }),
          anyJson,
        ),
        async (body) => {
          const result = await send("POST", "/users/", JSON.stringify(body));
          assertWellFormed(result);
          if (result.status === 201) {
            created++;
            const user = JSON.parse(result.text);
            const read = await send("GET", `/users/${user.id}`);
            expect(read.status).toBe(200);
            expect(JSON.parse(read.text)).toEqual(user);
            const sent = body as { name: string; email: string };
            expect(user.name).toBe(sent.name.trim());
            expect(user.email).toBe(sent.email.trim());
          }
        },
      ),
      { numRuns: RUNS },
    );
    // The success path was exercised, not only the refusals.
    expect(created).toBeGreaterThan(RUNS / 20);
  }, 120_000);

  test("POST /jobs/ and /pipelines/ with arbitrary names: stored verbatim (trimmed) or refused with 4xx", async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(["jobs", "job_name"], ["pipelines", "pipeline_name"]),
        nastyString,
        async ([resource, field], name) => {
          const result = await send("POST", `/${resource}/`, JSON.stringify({ [field]: name }));
          assertWellFormed(result);
          if (result.status === 201) {
            created++;
            const resourceBody = JSON.parse(result.text);
            expect(resourceBody[field]).toBe(name.trim());
            expect(JSON.parse((await send("GET", `/${resource}/${resourceBody.id}`)).text)).toEqual(resourceBody);
          } else {
            expect([413, 422]).toContain(result.status);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(created).toBeGreaterThan(RUNS / 10);
  }, 120_000);

  test("arbitrary raw bodies and content types never reach a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/users/", "/jobs/", "/pipelines/", "/login"),
        fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.json({ maxDepth: 30 })),
        fc.constantFrom(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/json; charset=latin1",
          "",
        ),
        async (path, body, contentType) => assertWellFormed(await send("POST", path, body, contentType)),
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  test("arbitrary ids and query strings in paths never reach a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("users", "jobs", "pipelines"),
        fc.oneof(fc.string({ maxLength: 30 }), fc.bigInt().map(String), fc.double().map(String)),
        fc.string({ maxLength: 40 }),
        async (resource, id, query) => {
          assertWellFormed(await send("GET", `/${resource}/${encodeURIComponent(id)}`));
          assertWellFormed(await send("GET", `/${resource}/?${encodeURIComponent(query)}=${encodeURIComponent(id)}`));
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  test("deeply nested JSON is refused cleanly", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    assertWellFormed(await send("POST", "/users/", deep));
    const deepObject = `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`;
    assertWellFormed(await send("POST", "/jobs/", deepObject));
  });
});
