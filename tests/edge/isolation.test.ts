// Failure isolation through the real Envoy: one service hung (SIGSTOP) or dead
// (SIGKILL) costs only its own routes. The gateway's probe paths come from the
// rendered k8s manifests and Envoy's health-check path from the rendered edge
// configs, so the test exercises what a cluster would: every replica stays
// ready, /login, /jobs and /pipelines keep working through Envoy, /users answers
// a fast 503 from the open circuit, and /health/dependencies says who is down.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { defaultsFor, buildEdgeConfig } from "../../envoy/config";
import { type RunningEnvoy, type RunningSystem, startSystem } from "@platform/harness";
import { findObject, renderOverlay } from "../deploy/support/repo";
import { envoyBinary, expectProblem, login, request, startTestEnvoy, SUITE_SETUP_TIMEOUT_MS, waitFor } from "./support";

const TEST_TIMEOUT_MS = 90_000;

let system: RunningSystem;
let envoy: RunningEnvoy;
let token: string;
/** Processes this file stopped with SIGSTOP: resumed before anything else is killed. */
const paused = new Set<number>();

/** The httpGet paths of the gateway Deployment's probes, as `kubectl kustomize k8s/overlays/dev` renders them. */
function gatewayProbePaths(): string[] {
  const container = findObject(renderOverlay("dev"), "Deployment", "api-gateway").spec.template.spec.containers[0];
  return [
    ...new Set(
      ["startupProbe", "readinessProbe", "livenessProbe"].map((probe) => container[probe]?.httpGet?.path as string),
    ),
  ];
}

/** Envoy's active health-check path for the gateway cluster, in both renderings. */
function envoyHealthCheckPath(): string {
  const paths = (["local", "k8s"] as const).map((target) => {
    const cluster = (buildEdgeConfig(defaultsFor(target)).static_resources as any).clusters.find(
      (c: any) => c.name === "gateway",
    );
    return cluster.health_checks[0].http_health_check.path as string;
  });
  expect(paths[0]).toBe(paths[1]!);
  return paths[0]!;
}

beforeAll(async () => {
  envoyBinary();
  system = await startSystem({
    gateways: 2,
    gatewayEnv: {
      LOG_LEVEL: "warn",
      // Quick to open; an answer from the breaker says so in its body (circuit: open).
      UPSTREAM_BREAKER_FAILURES: "2",
      UPSTREAM_BREAKER_COOLDOWN_MS: "3000",
      UPSTREAM_TIMEOUT_MS: "1500",
      READINESS_TIMEOUT_MS: "500",
    },
  });
  envoy = await startTestEnvoy(system.gateways);
  token = await login(envoy.url);
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  for (const pid of paused) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // already gone
    }
  }
  await Promise.all([envoy, system].filter(Boolean).map((c) => c.stop("SIGKILL")));
});

/** Everything that must keep working while the users service is out. */
async function expectOnlyUsersRoutesDown() {
  // Every gateway replica still passes every probe the manifests and Envoy use.
  const paths = [...gatewayProbePaths(), envoyHealthCheckPath()];
  expect(paths).toContain("/readyz");
  for (const gateway of system.gateways) {
    for (const path of new Set(paths))
      expect((await request(`http://127.0.0.1:${gateway.port}${path}`)).status).toBe(200);
  }

  // /users answers from the open circuit: 503 problem+json with Retry-After.
  const users = await waitFor(
    "the users circuit to open on the replica that answers",
    async () => {
      const response = await request(`${envoy.url}/users/1`, { token });
      return response.status === 503 && response.body?.circuit === "open" ? response : undefined;
    },
    60_000,
  );
  expectProblem(users, 503);
  expect(users.body).toMatchObject({
    type: "urn:problem-type:upstream-unavailable",
    grpc_code: "UNAVAILABLE",
    circuit: "open",
    detail: "the users service is unavailable",
  });
  expect(Number(users.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

  // The rest of the API, through Envoy.
  const relogin = await request(`${envoy.url}/login`, {
    method: "POST",
    body: { username: "admin", password: "secret" },
  });
  expect(relogin.status).toBe(200);
  expect((await request(`${envoy.url}/jobs/`, { token })).status).toBe(200);
  expect(
    (await request(`${envoy.url}/jobs/`, { method: "POST", token, body: { job_name: "during the outage" } })).status,
  ).toBe(201);
  expect((await request(`${envoy.url}/pipelines/`, { token })).status).toBe(200);
  expect((await request(`${envoy.url}/ui`)).status).toBe(200);

  // The dependency endpoint says who is down (and Envoy routes it).
  const dependencies = await request(`${envoy.url}/health/dependencies`);
  expectProblem(dependencies, 503);
  expect(dependencies.body.upstreams.users).not.toBe("SERVING");
  expect(dependencies.body.upstreams.jobs).toBe("SERVING");
  expect(dependencies.body.upstreams.pipelines).toBe("SERVING");
}

describe("one service out costs only its own routes", () => {
  test("the probe paths come from the manifests and the edge config", () => {
    expect(gatewayProbePaths()).toEqual(["/healthz", "/readyz"]);
    expect(envoyHealthCheckPath()).toBe("/readyz");
  });

  test(
    "users hung (SIGSTOP): every replica stays ready, /users is a fast 503 from the breaker, the rest works",
    async () => {
      const pid = system.services.users.pid;
      process.kill(pid, "SIGSTOP");
      paused.add(pid);
      try {
        await expectOnlyUsersRoutesDown();
      } finally {
        process.kill(pid, "SIGCONT");
        paused.delete(pid);
      }
      // Once it answers again, so do its health and (after the cooldown's probe) its routes, on every replica.
      await waitFor(
        "users SERVING again",
        async () => (await request(`${envoy.url}/health/dependencies`)).body?.upstreams?.users === "SERVING",
        30_000,
      );
      for (const gateway of system.gateways) {
        await waitFor(
          `the users circuit closed on ${gateway.name}`,
          async () => (await request(`http://127.0.0.1:${gateway.port}/users/1`, { token })).status === 404,
          30_000,
        );
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "users dead (SIGKILL): the same",
    async () => {
      process.kill(system.services.users.pid, "SIGKILL");
      await system.services.users.process.exited;
      await expectOnlyUsersRoutesDown();
      // Envoy never took a replica out: both still healthy in its eyes.
      const admin = await (await fetch(`${envoy.adminUrl}/clusters`)).text();
      expect(
        admin.split("\n").filter((line) => line.startsWith("gateway::") && line.includes("::health_flags::healthy"))
          .length,
      ).toBe(2);
    },
    TEST_TIMEOUT_MS,
  );
});
