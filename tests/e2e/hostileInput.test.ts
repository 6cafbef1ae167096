// Hostile input through the gateway, against the whole system as real
// processes: any text in any field and any number of violations get a precise
// answer (201, or 422 problem+json naming the field, with the count of what
// was left out), nothing escapes into a stray error, and every process is
// still alive and ready afterwards.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { startSystem, type RunningSystem } from "@platform/harness";

setDefaultTimeout(60_000);

const MAX_BODY_BYTES = 64 * 1024;
let system: RunningSystem;
let token: string;
let lines: string[] = [];

async function login(username: string, password: string): Promise<Response> {
  return fetch(`${system.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
}

interface Problem {
  status: number;
  type: string;
  errors?: { field: string; message: string }[];
  errors_omitted?: number;
}

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; contentType: string | null; body: Problem & Record<string, unknown> }> {
  const response = await fetch(`${system.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: (await response.json()) as never,
  };
}

async function expectValidation(result: Awaited<ReturnType<typeof post>>) {
  expect(result.status).toBe(422);
  expect(result.contentType).toBe("application/problem+json");
  expect(result.body.type).toBe("urn:problem-type:validation-error");
  expect(result.body.errors?.length).toBeGreaterThan(0);
  return result.body;
}

const HOSTILE = {
  accented: "é",
  emoji: "🚀 👩‍👩‍👧 🏳️‍🌈",
  rtl: "\u202Eevil\u202C שלום مرحبا",
  "zero-width": "a\u200Bb\uFEFF",
  control: "a\u0001b\u001Fc\u007F\u0085",
  nul: "a\u0000b",
  "lone surrogate": "x\uD800y",
  mixed: "é🚀\u202E\u0007ש",
};

// Every string field of every create body, one hostile value at a time.
let unique = 0;
/** A payload with the text as a key and as a value (a long text only as a value, to stay under the body limit). */
const payload = (v: string) => (v.length <= 64 ? { [v]: v } : { text: v });
const CASES: Record<string, (value: string) => [path: string, body: unknown, field: string]> = {
  "users name": (v) => ["/users/", { name: v, email: `u${++unique}@example.com` }, "name"],
  "users email": (v) => ["/users/", { name: "n", email: `${v}${++unique}@example.com` }, "email"],
  "users password": (v) => ["/users/", { name: "n", email: `p${++unique}@example.com`, password: v }, "password"],
  "jobs job_name": (v) => ["/jobs/", { job_name: v }, "job_name"],
  "jobs kind": (v) => ["/jobs/", { job_name: "j", kind: v }, "kind"],
  "jobs payload": (v) => ["/jobs/", { job_name: "j", kind: "never-run", payload: payload(v) }, "payload"],
  "pipelines pipeline_name": (v) => [
    "/pipelines/",
    { pipeline_name: v, steps: [{ name: "a", kind: "never-run" }] },
    "pipeline_name",
  ],
  "pipelines step name": (v) => [
    "/pipelines/",
    { pipeline_name: "p", steps: [{ name: v, kind: "never-run" }] },
    "steps.0.name",
  ],
  "pipelines step kind": (v) => [
    "/pipelines/",
    { pipeline_name: "p", steps: [{ name: "a", kind: v }] },
    "steps.0.kind",
  ],
  "pipelines step payload": (v) => [
    "/pipelines/",
    { pipeline_name: "p", steps: [{ name: "a", kind: "never-run", payload: payload(v) }] },
    "steps.0.payload",
  ],
  "pipelines parameters": (v) => ["/pipelines/", { pipeline_name: "p", parameters: payload(v) }, "parameters"],
  "pipelines payload template": (v) => [
    "/pipelines/",
    { pipeline_name: "p", steps: [{ name: "a", kind: "never-run", payload: { t: `{{ params.${v} }}` } }] },
    "steps.0.payload",
  ],
  "pipelines depends_on": (v) => [
    "/pipelines/",
    { pipeline_name: "p", steps: [{ name: "a", kind: "never-run", depends_on: [v] }] },
    "steps.0.depends_on",
  ],
};

// SQLite and PostgreSQL refuse different things (PostgreSQL's TEXT cannot hold NUL):
// the whole system runs on each.
describe.each(TEST_BACKENDS)("on %s", (backend) => {
  beforeAll(async () => {
    lines = [];
    const serviceEnv =
      backend === "postgres"
        ? {
            users: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
            jobs: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
            pipelines: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
          }
        : {};
    system = await startSystem({
      serviceEnv,
      gatewayEnv: { MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
      onLine: (component, line) => lines.push(`${component}: ${line}`),
    });
    token = ((await (await login("admin", "secret")).json()) as { access_token: string }).access_token;
  });
  afterAll(() => system.stop());

  describe("the reported crash", () => {
    test("a dependency named é is a 422 naming it", async () => {
      const problem = await expectValidation(
        await post("/pipelines/", { pipeline_name: "p", steps: [{ name: "a", kind: "echo", depends_on: ["é"] }] }),
      );
      expect(problem.errors).toEqual([{ field: "steps.0.depends_on", message: "é is not a step of this pipeline" }]);
    });

    test("600 unknown dependencies are a 422 with the first errors and how many were left out", async () => {
      const steps = Array.from({ length: 12 }, (_, s) => ({
        name: `s${s}`,
        kind: "echo",
        depends_on: Array.from({ length: 50 }, (_, d) => `${"ü".repeat(40)}-${s}-${d}`),
      }));
      const problem = await expectValidation(await post("/pipelines/", { pipeline_name: "p", steps }));
      expect(problem.errors![0]).toEqual({
        field: "steps.0.depends_on",
        message: `${"ü".repeat(40)}-0-0 is not a step of this pipeline`,
      });
      expect(problem.errors_omitted).toBeGreaterThan(0);
      expect(problem.errors!.length + problem.errors_omitted!).toBe(600);
    });
  });

  describe("hostile text in every string field", () => {
    for (const [name, build] of Object.entries(CASES)) {
      test.each(Object.entries(HOSTILE))(
        `${name}: %s is created or refused with a 422 naming the field`,
        async (_, value) => {
          const [path, body, field] = build(value);
          const result = await post(path, body);
          if (result.status === 201) return;
          const problem = await expectValidation(result);
          for (const error of problem.errors!) expect(error.field.startsWith(field)).toBe(true);
        },
      );
    }

    test("a refused control character in a name is named precisely", async () => {
      const problem = await expectValidation(await post("/jobs/", { job_name: HOSTILE.control }));
      expect(problem.errors).toEqual([{ field: "job_name", message: "must not contain control characters" }]);
    });
  });

  describe("strings near the body limit", () => {
    const near = (unit: string) =>
      unit.repeat(Math.floor((MAX_BODY_BYTES - 512) / Buffer.byteLength(JSON.stringify(unit).slice(1, -1))));
    for (const [name, build] of Object.entries(CASES)) {
      test.each([
        ["ASCII", "x"],
        ["two-byte", "é"],
        ["emoji", "🚀"],
        ["escaped control", "\u0001"],
      ])(`${name}: %s`, async (_, unit) => {
        const [path, body, field] = build(near(unit));
        const result = await post(path, body);
        expect(JSON.stringify(body).length).toBeLessThan(MAX_BODY_BYTES);
        if (result.status === 201) return;
        const problem = await expectValidation(result);
        for (const error of problem.errors!) expect(error.field.startsWith(field)).toBe(true);
      });
    }
  });

  describe("hostile text where no schema can refuse it", () => {
    test.each(Object.entries(HOSTILE))("a login as %s is the same 401 as any wrong login", async (_, value) => {
      for (const username of [value, `${value}@example.com`]) {
        const response = await login(username, "wrong password");
        expect(response.status).toBe(401);
        expect(((await response.json()) as Problem).type).toBe("urn:problem-type:invalid-credentials");
      }
    });

    test("a worker's failure text is kept as sent, NUL aside", async () => {
      const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
      const password = "correct horse battery";
      await post("/users/", { name: "w", email: "hostile-worker@example.com", password, roles: ["worker"] });
      const worker = ((await (await login("hostile-worker@example.com", password)).json()) as { access_token: string })
        .access_token;
      const asWorker = { ...headers, authorization: `Bearer ${worker}` };
      const job = (await post("/jobs/", { job_name: "j", kind: "hostile-only" })).body;
      const claim = await fetch(`${system.url}/jobs/claim`, {
        method: "POST",
        headers: asWorker,
        body: JSON.stringify({ worker_id: "w", kinds: ["hostile-only"] }),
      });
      const { id, lease_token } = (await claim.json()) as { id: number; lease_token: string };
      expect(id).toBe(job.id as number);
      const text = Object.values(HOSTILE).join(" | ");
      const failed = await fetch(`${system.url}/jobs/${id}/fail`, {
        method: "POST",
        headers: asWorker,
        body: JSON.stringify({ lease_token, error: text }),
      });
      expect(failed.status).toBe(200);
      const stored = (await (await fetch(`${system.url}/jobs/${id}`, { headers })).json()) as { error: string };
      // A lone surrogate cannot cross UTF-8 either way: it arrives as U+FFFD.
      expect(stored.error).toBe(text.replaceAll("\u0000", "\uFFFD").toWellFormed());
    });
  });

  describe("afterwards", () => {
    test("every process is alive and ready, and nothing escaped into a stray error", async () => {
      for (const component of [...Object.values(system.services), ...system.gateways]) {
        expect(component.process.exitCode).toBeNull();
        expect(() => process.kill(component.pid, 0)).not.toThrow();
      }
      expect((await fetch(`${system.url}/readyz`)).status).toBe(200);
      expect(
        lines.filter((line) =>
          /unhandled promise rejection|uncaught exception|answering the call failed|ending the stream failed|call failed|stream failed|login throttle is unreachable/.test(
            line,
          ),
        ),
      ).toEqual([]);
    });
  });
});
