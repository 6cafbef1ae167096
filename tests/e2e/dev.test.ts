// `bun run dev`, the supervisor: starts everything, says where, stops it all on
// SIGTERM, and refuses to run half a system.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Subprocess } from "bun";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeDevPorts } from "@platform/harness";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

const ROOT = join(import.meta.dir, "..", "..");
const spawned: Subprocess[] = [];
afterAll(() => spawned.forEach((p) => p.kill("SIGKILL")));

function startDev(env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, "scripts/dev.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: "json", DATA_DIR: mkdtempSync(join(tmpdir(), "dev-data-")), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  spawned.push(proc);
  return proc;
}

async function waitForOutput(
  proc: Subprocess<"ignore", "pipe", "pipe">,
  needle: string,
  timeoutMs = 20_000,
): Promise<string> {
  let seen = "";
  const reader = proc.stdout.getReader();
  const deadline = Date.now() + timeoutMs;
  while (!seen.includes(needle) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return seen;
}

const ports = freeDevPorts;

describe("bun run dev", () => {
  test("starts Envoy in front of two gateway replicas and the services, and stops them all on SIGTERM", async () => {
    const env = ports();
    const dev = startDev(env);
    const output = await waitForOutput(dev, "The system is up", 60_000);
    expect(output).toContain(`http://localhost:${env.EDGE_PORT}`);
    expect(output).toContain(`http://localhost:${env.GATEWAY_PORT}`);

    // The seed's login, through the edge; both replicas answer there, and 8000 still serves directly.
    const login = await fetch(`http://127.0.0.1:${env.EDGE_PORT}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username": "admin", "password": "secret"}',
    });
    expect(login.status).toBe(200);
    const servedBy = new Set<string>();
    for (let i = 0; i < 20 && servedBy.size < 2; i++)
      servedBy.add((await fetch(`http://127.0.0.1:${env.EDGE_PORT}/`)).headers.get("x-served-by") ?? "");
    expect([...servedBy].sort()).toEqual(["gateway-1", "gateway-2"]);
    expect((await fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${env.EDGE_READY_PORT}/ready`)).status).toBe(200);

    dev.kill("SIGTERM");
    expect(await dev.exited).toBe(0);
    // Nothing is left listening.
    for (const port of [env.EDGE_PORT, env.GATEWAY_PORT, String(Number(env.GATEWAY_PORT) + 1)]) {
      expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  }, 90_000);

  test("exits non-zero when a component cannot start", async () => {
    const env: Record<string, string> = { ...ports(), EDGE: "false" };
    const blocker = Bun.listen({ hostname: "0.0.0.0", port: Number(env.USERS_PORT), socket: { data() {} } });
    try {
      const dev = startDev(env);
      expect(await dev.exited).toBe(1);
      expect(await new Response(dev.stderr).text()).toContain("users exited with code 1 before it was ready");
    } finally {
      blocker.stop(true);
    }
  });
});
