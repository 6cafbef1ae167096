// Clients that misbehave at the connection level: a slow client that never
// finishes its request is cut off, oversized headers are refused, and the
// gateway keeps serving everyone else.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSystem, type RunningSystem } from "@platform/harness";

let system: RunningSystem;
let port: number;
beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { HTTP_IDLE_TIMEOUT_SECONDS: "2" } });
  port = system.gateways[0]!.port;
});
afterAll(() => system.stop());

/** Opens a raw connection, writes `request`, and resolves with how long until the server closed it. */
async function timeUntilClosed(request: string, limitMs: number): Promise<number> {
  const closed = Promise.withResolvers<number>();
  const started = performance.now();
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: { data() {}, close: () => closed.resolve(performance.now() - started), error() {} },
  });
  socket.write(request);
  const elapsed = await Promise.race([closed.promise, Bun.sleep(limitMs).then(() => Infinity)]);
  socket.end();
  return elapsed;
}

test("a client that never finishes its request headers is disconnected (Bun's header timeout, ~10 s)", async () => {
  expect(await timeUntilClosed("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", 25_000)).toBeLessThan(20_000);
  expect((await fetch(`${system.url}/healthz`)).status).toBe(200);
}, 30_000);

test("an idle keep-alive connection is closed after HTTP_IDLE_TIMEOUT_SECONDS", async () => {
  // Bun checks idle sockets every few seconds, so "2 s" closes within 2-6 s.
  expect(await timeUntilClosed("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 15_000)).toBeLessThan(8_000);
}, 20_000);

test("oversized request headers are refused with 431, and the gateway serves on", async () => {
  const response = await fetch(`${system.url}/healthz`, { headers: { "x-huge": "a".repeat(200_000) } });
  expect(response.status).toBe(431);
  expect((await fetch(`${system.url}/healthz`)).status).toBe(200);
});

test("a huge Authorization header is a 401 or 431, never a 500", async () => {
  const response = await fetch(`${system.url}/users/1`, { headers: { authorization: `Bearer ${"a".repeat(30_000)}` } });
  expect([401, 431]).toContain(response.status);
});
