// `bun run dev`, the supervisor: starts everything, says where, stops it all on
// SIGTERM, refuses to run half a system, and leaves nothing behind when its
// output's reader goes away or it is killed outright.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Subprocess } from "bun";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeDevPorts } from "@platform/harness";
import { eventually } from "@platform/kit/testing";

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

/** /proc/<pid>/stat: [state, parent pid]. */
function statOf(pid: number): [string, number] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [state!, Number(ppid)];
  } catch {
    return undefined;
  }
}
const childrenOf = (pid: number) =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((child) => statOf(child)?.[1] === pid);
/** Gone, or a zombie nobody has reaped yet (its parent died too). */
const ended = (pid: number) => {
  const stat = statOf(pid);
  return stat === undefined || stat[0] === "Z" || stat[0] === "X";
};
/** Resolves once every one of `pids` has ended. */
const allEnded = (pids: number[], what: string) =>
  eventually(async () => (pids.every(ended) ? true : undefined), 30_000, what);

/** Envoy, two gateway replicas, three services and a worker: what `bun run dev` starts by default. */
const COMPONENTS = 7;

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

  test("stops everything when the reader of its output goes away (`bun run dev | head`)", async () => {
    const env = ports();
    const dev = startDev(env);
    await waitForOutput(dev, "The system is up", 60_000);
    const components = childrenOf(dev.pid);
    expect(components.length).toBe(COMPONENTS);

    await dev.stdout.cancel();
    // A request makes lines (Envoy's access log, the gateway's): writing them finds nobody reading.
    await fetch(`http://127.0.0.1:${env.EDGE_PORT}/`).catch(() => {});
    expect(await dev.exited).toBe(0);
    await allEnded(components, "every component to stop");
  }, 90_000);

  test("its components stop by themselves when it is killed outright (SIGKILL)", async () => {
    const dev = startDev(ports());
    await waitForOutput(dev, "The system is up", 60_000);
    const components = childrenOf(dev.pid);
    expect(components.length).toBe(COMPONENTS);

    dev.kill("SIGKILL");
    await dev.exited;
    // Bun components see their stdin lifeline close (kit/lifeline.ts); Envoy gets SIGTERM from the kernel (setpriv).
    await allEnded(components, "every orphaned component to stop");
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
