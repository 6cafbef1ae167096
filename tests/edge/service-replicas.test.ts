// A service with two replicas behind one gateway (grpc-js round_robin over an
// `ipv4:` target with both addresses), reached through Envoy: calls spread over
// both, and keep succeeding on the survivor when one is killed.
//
// Users live in memory per replica, so the calls here are ones either replica
// answers the same way whatever it holds: listing users (200 with a page) and
// the gateway's /health/dependencies (grpc.health.v1 over the same balanced channel).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  isolatedServiceEnv,
  type RunningComponent,
  type RunningEnvoy,
  startGateway,
  startService,
  TEST_ENV,
} from "@platform/harness";
import { envoyBinary, login, request, startTestEnvoy, SUITE_SETUP_TIMEOUT_MS, waitFor } from "./support";

const started: Array<{ stop(signal?: NodeJS.Signals): Promise<unknown> }> = [];
let usersA: RunningComponent;
let usersB: RunningComponent;
let envoy: RunningEnvoy;
let gatewayUrl: string;
let token: string;

beforeAll(async () => {
  envoyBinary();
  const track = async <T extends { stop(signal?: NodeJS.Signals): Promise<unknown> }>(component: Promise<T>) => {
    const c = await component;
    started.push(c);
    return c;
  };
  // debug: each replica logs every call it serves ("call served", with the method).
  const serviceEnv = isolatedServiceEnv({ LOG_LEVEL: "debug" });
  const [a, b, jobs, pipelines] = await Promise.all([
    track(startService("users", serviceEnv)),
    track(startService("users", serviceEnv)),
    track(startService("jobs", isolatedServiceEnv())),
    track(startService("pipelines", isolatedServiceEnv())),
  ]);
  usersA = a;
  usersB = b;
  const gateway = await track(
    startGateway("gateway-1", {
      ...TEST_ENV,
      GATEWAY_REPLICA_ID: "gateway-1",
      USER_SERVICE_URL: `ipv4:127.0.0.1:${a.port},127.0.0.1:${b.port}`,
      JOBS_SERVICE_URL: `127.0.0.1:${jobs.port}`,
      PIPELINE_SERVICE_URL: `127.0.0.1:${pipelines.port}`,
    }),
  );
  gatewayUrl = `http://127.0.0.1:${gateway.port}`;
  envoy = await track(startTestEnvoy([gateway]));
  token = await login(envoy.url);
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(started.map((c) => c.stop("SIGKILL")));
});

const listCallsServedBy = (replica: RunningComponent) =>
  replica.recentLines.filter((line) => line.includes('"method":"ListUsers"') && line.includes('"msg":"call served"'))
    .length;

describe("two users replicas behind one gateway", () => {
  test("the gateway's calls spread over both replicas", async () => {
    for (let i = 0; i < 20; i++) {
      const response = await request(`${envoy.url}/users/`, { token });
      expect(response.status).toBe(200);
      expect(Array.isArray(response.body.items)).toBe(true);
    }
    await waitFor(
      "both replicas to log ListUsers calls",
      () => listCallsServedBy(usersA) >= 5 && listCallsServedBy(usersB) >= 5,
      10_000,
    );
  }, 60_000);

  test("SIGKILL one replica: calls keep succeeding on the other", async () => {
    const servedByABefore = listCallsServedBy(usersA);
    await usersB.stop("SIGKILL");

    // Half straight to the gateway, so Envoy's own retries cannot hide a gateway failure.
    const failures: string[] = [];
    for (let i = 0; i < 40; i++) {
      const base = i % 2 === 0 ? gatewayUrl : envoy.url;
      const response = await request(`${base}/users/`, { token });
      if (response.status !== 200) failures.push(`${base}: ${response.status} ${response.text}`);
    }
    expect(failures).toEqual([]);
    const dependencies = await request(`${envoy.url}/health/dependencies`);
    expect(dependencies.status).toBe(200);
    expect(dependencies.body.upstreams.users).toBe("SERVING");
    await waitFor("the survivor to serve the calls", () => listCallsServedBy(usersA) >= servedByABefore + 40, 10_000);
  }, 60_000);
});
