// The OpenAPI document tells the truth: schemathesis, with every check on, fuzzes
// the whole local system as `bun run dev` ships it (the services, two gateway
// replicas, the shipped Envoy in front of them: every request goes through the
// edge) for a bounded time with a fixed seed, and finds nothing: once with an
// admin's token over every operation, once with a worker's over the worker
// routes (an admin only ever gets their 403). Failures are printed with their
// curl reproductions.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type RunningEnvoy, type RunningSystem, startEnvoy, startSystem } from "@platform/harness";
import { fuzz, schemathesisPath } from "./support";

const INSTALL_TIMEOUT_MS = 300_000;
const FUZZ_SECONDS = 60;
const WORKER_FUZZ_SECONDS = 25;
const WORKER_ROUTES = "^/jobs/(claim|complete|\\{id\\}/(heartbeat|complete|fail))$";

let system: RunningSystem;
let envoy: RunningEnvoy;
let adminToken: string;
let workerToken: string;

async function login(username: string, password: string): Promise<string> {
  const response = await fetch(`${envoy.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  schemathesisPath();
  system = await startSystem({ gateways: 2 });
  // The shipped edge configuration; only its ports are ephemeral.
  envoy = await startEnvoy({
    gatewayAddresses: system.gateways.map((g) => `127.0.0.1:${g.port}`),
    listenPort: 0,
    adminPort: 0,
    readyPort: 0,
  });
  adminToken = await login("admin", "secret");
  const worker = { name: "Contract Worker", email: "contract-worker@example.com", password: "contract-worker-pw-1" };
  const created = await fetch(`${envoy.url}/users/`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ ...worker, roles: ["worker"] }),
  });
  expect(created.status).toBe(201);
  workerToken = await login(worker.email, worker.password);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await envoy?.stop();
  await system?.stop("SIGKILL");
});

function expectNoFailure(run: { exitCode: number; output: string }) {
  if (run.exitCode !== 0) console.error(run.output);
  expect(run.output).toMatch(/Test cases:\s+\d+ generated/);
  expect(run.output).not.toMatch(/\d+ failures?\b/);
  expect(run.exitCode).toBe(0);
}

test(
  "schemathesis finds no failure in the document or the server (all checks, stateful links, fixed seed)",
  async () => {
    expectNoFailure(
      await fuzz({ schemaUrl: `${envoy.url}/openapi.json`, token: adminToken, seed: 42, maxSeconds: FUZZ_SECONDS }),
    );
  },
  (FUZZ_SECONDS + 60) * 1000,
);

test(
  "the worker routes, fuzzed with a worker's token, find no failure either",
  async () => {
    expectNoFailure(
      await fuzz({
        schemaUrl: `${envoy.url}/openapi.json`,
        token: workerToken,
        seed: 11,
        maxSeconds: WORKER_FUZZ_SECONDS,
        includePath: WORKER_ROUTES,
      }),
    );
  },
  (WORKER_FUZZ_SECONDS + 60) * 1000,
);
