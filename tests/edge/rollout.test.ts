// A graceful rollout seen from a client: one gateway replica behind Envoy gets
// SIGTERM in the middle of a bounded load of reads and writes. It fails its
// readiness first (SHUTDOWN_DELAY_MS), Envoy's health checks take it out,
// it drains, it exits 0, and not one request fails.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { clusterHosts, type RunningEnvoy, type RunningSystem, startSystem } from "@platform/harness";
import { envoyBinary, login, startTestEnvoy, SUITE_SETUP_TIMEOUT_MS, TEST_HEALTH_CHECK, waitFor } from "./support";

let system: RunningSystem;
let envoy: RunningEnvoy;

// Long enough for Envoy to see /readyz fail (unhealthyThreshold checks, intervalMs apart) with a margin.
const SHUTDOWN_DELAY_MS = (TEST_HEALTH_CHECK.unhealthyThreshold + 2) * TEST_HEALTH_CHECK.intervalMs;

beforeAll(async () => {
  envoyBinary();
  system = await startSystem({
    gateways: 2,
    gatewayEnv: { SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS), LOG_LEVEL: "warn" },
  });
  envoy = await startTestEnvoy(system.gateways);
}, SUITE_SETUP_TIMEOUT_MS);
afterAll(async () => {
  await envoy?.stop("SIGKILL");
  await system?.stop();
});

test("SIGTERM on a gateway replica under load through Envoy: zero failed requests, exit 0", async () => {
  const token = await login(envoy.url);
  const [first, second] = system.gateways as [(typeof system.gateways)[0], (typeof system.gateways)[0]];
  await waitFor(
    "both replicas healthy in Envoy",
    async () => (await clusterHosts(envoy.adminUrl)).filter((h) => h.healthFlags === "healthy").length === 2,
    20_000,
  );

  const failures: string[] = [];
  const servedBy: string[] = [];
  let stop = false;
  let sent = 0;
  // Four clients, each alternating a read and a write (a POST is never retried by Envoy once sent).
  const client = async (n: number) => {
    for (let i = 0; !stop && i < 5_000; i++) {
      const write = i % 2 === 1;
      sent++;
      try {
        const response = await fetch(`${envoy.url}/jobs/`, {
          method: write ? "POST" : "GET",
          headers: { authorization: `Bearer ${token}`, ...(write ? { "content-type": "application/json" } : {}) },
          body: write ? JSON.stringify({ job_name: `rollout ${n}-${i}` }) : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.status >= 300) failures.push(`${write ? "POST" : "GET"} ${response.status}`);
        else servedBy.push(response.headers.get("x-served-by") ?? "");
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const load = Promise.all([0, 1, 2, 3].map(client));

  await Bun.sleep(1_000);
  const terminated = performance.now();
  second.process.kill("SIGTERM");
  const exitCode = await second.process.exited;
  const stoppedAfterMs = performance.now() - terminated;
  // Keep the load going a little after the replica is gone.
  await Bun.sleep(1_000);
  stop = true;
  await load;

  expect(failures).toEqual([]);
  expect(exitCode).toBe(0);
  // It served during the delay (readiness failing, still answering), then drained.
  expect(stoppedAfterMs).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS);
  expect(sent).toBeGreaterThan(100);
  expect(servedBy.filter((name) => name === second.name).length).toBeGreaterThan(0);
  expect(servedBy.at(-1)).toBe(first.name);
}, 60_000);
