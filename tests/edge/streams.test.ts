// Long-lived responses through the edge: a job's server-sent-events watch stays
// open while nothing happens (exempt from the gateway's idle timeout, inside
// Envoy's stream idle limit), then delivers the change and ends; a pipeline's
// watch takes the same streams route. And the edge does not expose the
// gateway's /metrics.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type RunningEnvoy, type RunningSystem, startSystem } from "@platform/harness";
import { envoyBinary, startTestEnvoy, SUITE_SETUP_TIMEOUT_MS } from "./support";

let system: RunningSystem;
let envoy: RunningEnvoy;
let token: string;

beforeAll(async () => {
  envoyBinary();
  // A short idle timeout, so the test proves the keep-alives matter.
  system = await startSystem({ gatewayEnv: { HTTP_IDLE_TIMEOUT_SECONDS: "2" } });
  envoy = await startTestEnvoy(system.gateways);
  const login = await fetch(`${envoy.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"username":"admin","password":"secret"}',
  });
  token = ((await login.json()) as { access_token: string }).access_token;
}, SUITE_SETUP_TIMEOUT_MS);
afterAll(async () => {
  await envoy?.stop("SIGKILL");
  await system?.stop();
});

test("a quiet job watch through Envoy outlives the idle timeouts, then reports the change and ends", async () => {
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${envoy.url}/jobs/`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: '{"job_name": "watched"}',
  });
  const job = (await created.json()) as { id: number };

  const response = await fetch(`${envoy.url}/jobs/${job.id}/watch`, { headers: auth });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  // A read that lost a race against the clock stays pending: keep it for the next round, or its chunk is lost.
  let pending: ReturnType<typeof reader.read> | undefined;
  /** Reads for up to `ms`; true once the stream has ended. */
  const readFor = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      pending ??= reader.read();
      const next = await Promise.race([pending, Bun.sleep(until - Date.now()).then(() => null)]);
      if (next === null) return false;
      pending = undefined;
      if (next.done) return true;
      text += decoder.decode(next.value, { stream: true });
    }
    return false;
  };

  // Three times the gateway's idle timeout with nothing to report: still open.
  expect(await readFor(6_500)).toBe(false);
  expect(text).toContain('"status":"PENDING"');

  const cancelled = await fetch(`${envoy.url}/jobs/${job.id}/cancel`, { method: "POST", headers: auth });
  expect(cancelled.status).toBe(200);
  expect(await readFor(10_000)).toBe(true);
  expect(text).toContain('"status":"CANCELLED"');
}, 40_000);

test("a pipeline's watch streams through Envoy and ends once the pipeline is final", async () => {
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${envoy.url}/pipelines/`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: '{"pipeline_name": "watched", "steps": [{"name": "a", "kind": "edge-unserved"}]}',
  });
  expect(created.status).toBe(201);
  const pipeline = (await created.json()) as { id: number };

  const response = await fetch(`${envoy.url}/pipelines/${pipeline.id}/watch`, { headers: auth });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const first = await reader.read();
  text += decoder.decode(first.value, { stream: true });
  expect(text).toContain(`"id":${pipeline.id},`);

  expect((await fetch(`${envoy.url}/pipelines/${pipeline.id}/cancel`, { method: "POST", headers: auth })).status).toBe(
    200,
  );
  for (let next = await reader.read(); !next.done; next = await reader.read())
    text += decoder.decode(next.value, { stream: true });
  expect(text).toContain('"status":"CANCELLED"');
  expect((await fetch(`${envoy.url}/pipelines/${pipeline.id}/watch`)).status).toBe(401);
}, 40_000);

test("the edge does not expose /metrics; the gateway itself still serves it", async () => {
  expect((await fetch(`${envoy.url}/metrics`)).status).toBe(404);
  const direct = await fetch(`${system.url}/metrics`);
  expect(direct.status).toBe(200);
  expect(await direct.text()).toContain("http_requests");
});
