// Every curl of the seed design document, replayed verbatim with the real curl
// against the whole system running as real processes. Only the host, port and
// token placeholder change.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startSystem, type RunningSystem } from "@platform/harness";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

let system: RunningSystem;
let token = "";

beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

/** Runs a seed curl command as written, pointed at this system. */
async function curl(command: string): Promise<{ status: number; body: any }> {
  const pointed = command.replaceAll("http://localhost:8000", system.url).replaceAll("YOUR_JWT_TOKEN", token);
  // -s and -w are added to read the outcome; the request itself is the seed's.
  const proc = Bun.spawn(["bash", "-c", pointed.replace(/^curl /, `curl -s -w '\\n%{http_code}' `)], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  const lines = output.trimEnd().split("\n");
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join("\n")) };
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("the seed's curl examples", () => {
  test("Authentication: POST /login", async () => {
    const { status, body } = await curl(`curl -X POST http://localhost:8000/login \\
  -H "Content-Type: application/json" \\
  -d '{"username": "admin", "password": "secret"}'`);
    expect(status).toBe(200);
    expect(body.token_type).toBe("bearer");
    expect(body.access_token).toMatch(/^eyJ/);
    token = body.access_token;
  });

  test("Create User", async () => {
    const { status, body } = await curl(`curl -X POST http://localhost:8000/users/ \\
  -H "Authorization: Bearer YOUR_JWT_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"id": 1, "name": "John Doe", "email": "john@example.com"}'`);
    expect(status).toBe(201);
    expect([body.id, body.name, body.email]).toEqual([1, "John Doe", "john@example.com"]);
    expect(body.created_at).toMatch(ISO);
  });

  test("Get User", async () => {
    const { status, body } = await curl(`curl -X GET http://localhost:8000/users/1 \\
  -H "Authorization: Bearer YOUR_JWT_TOKEN"`);
    expect(status).toBe(200);
    expect([body.id, body.name, body.email]).toEqual([1, "John Doe", "john@example.com"]);
  });

  test("Create Job", async () => {
    const { status, body } = await curl(`curl -X POST http://localhost:8000/jobs/ \\
  -H "Authorization: Bearer YOUR_JWT_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"job_name": "Data Processing Job"}'`);
    expect(status).toBe(201);
    expect([body.id, body.job_name, body.status]).toEqual([1, "Data Processing Job", "PENDING"]);
    expect(body.created_at).toMatch(ISO);
    expect(body.updated_at).toMatch(ISO);
  });

  test("Get Job", async () => {
    const { status, body } = await curl(`curl -X GET http://localhost:8000/jobs/1 \\
  -H "Authorization: Bearer YOUR_JWT_TOKEN"`);
    expect(status).toBe(200);
    expect([body.id, body.job_name, body.status]).toEqual([1, "Data Processing Job", "PENDING"]);
  });

  test("Create Pipeline", async () => {
    const { status, body } = await curl(`curl -X POST http://localhost:8000/pipelines/ \\
  -H "Authorization: Bearer YOUR_JWT_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"pipeline_name": "ML Training Pipeline"}'`);
    expect(status).toBe(201);
    expect([body.id, body.pipeline_name, body.status]).toEqual([1, "ML Training Pipeline", "PENDING"]);
  });

  test("Get Pipeline", async () => {
    const { status, body } = await curl(`curl -X GET http://localhost:8000/pipelines/1 \\
  -H "Authorization: Bearer YOUR_JWT_TOKEN"`);
    expect(status).toBe(200);
    expect([body.id, body.pipeline_name, body.status]).toEqual([1, "ML Training Pipeline", "PENDING"]);
  });

  test("Health: GET / returns the service status", async () => {
    const { status, body } = await curl(`curl http://localhost:8000/`);
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
  });
});
