// The system under test, started by the launcher that `bun run dev` uses, on
// free ports, with data in a temporary directory, logging as shipped (info) and
// its lines printed the way `bun run dev` prints them.
import { mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freeDevPorts,
  launchSystem,
  prettyLine,
  REPO_ROOT,
  type RunningSystem,
  startComponent,
} from "@platform/harness";
import { perTurn } from "@platform/kit";
import type { ReadyProcess } from "./processes";

export const BENCH_JWT_SECRET = "bench-only-secret-0123456789abcdef-0123456789";

/**
 * What a load test needs: loopback, a known key, and login throttling lifted (the
 * login scenario is one address logging in thousands of times, which the shipped
 * limits rightly refuse). LOG_LEVEL stays at its default: the bench pays for the
 * log lines a user's system writes.
 */
export const BENCH_ENV: Record<string, string> = {
  HOST: "127.0.0.1",
  NODE_ENV: "development",
  JWT_SECRET_KEY: BENCH_JWT_SECRET,
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: "1000000000",
  LOGIN_MAX_FAILURES_PER_USERNAME: "1000000000",
};

/** The bench process in the per-process tables: it prints the system's log lines, as `bun run dev`'s supervisor does. */
export const SUPERVISOR = "dev-supervisor";

export type BenchSystem = RunningSystem;

/** The system, every line of it turned into a readable one and written once per turn, as scripts/dev.ts does (to /dev/null). */
export function startBenchSystem(options: { gateways: number }): Promise<BenchSystem> {
  const devNull = openSync("/dev/null", "w");
  const out = perTurn({ write: (chunk: string) => writeSync(devNull, chunk) });
  return launchSystem({
    env: BENCH_ENV,
    gateways: options.gateways,
    temporaryData: true,
    onLine: (name, line) => out.write(`${prettyLine(`[${name}]`, line, false)}\n`),
  });
}

/** One more gateway replica against the running services, e.g. under `bun --cpu-prof`. */
export function startExtraGateway(
  system: BenchSystem,
  name: string,
  bunFlags: string[] = [],
  env: Record<string, string> = {},
): Promise<ReadyProcess> {
  return startComponent({
    name,
    component: "gateway",
    bunFlags,
    env: { ...system.gatewayEnv, PORT: "0", ...env, GATEWAY_REPLICA_ID: name },
  });
}

/** One more instance of a service on the system's data (DATA_DIR), e.g. under `bun --cpu-prof`. */
export function startExtraService(
  system: BenchSystem,
  service: "users",
  name: string,
  bunFlags: string[] = [],
): Promise<ReadyProcess> {
  return startComponent({ name, component: service, bunFlags, env: { ...system.env, PORT: "0", METRICS_PORT: "0" } });
}

/**
 * `bun run dev` itself (scripts/dev.ts) on free ports: milliseconds from spawn
 * until it prints "The system is up" (every component has logged its ready line).
 */
export async function measureDevStartup(replicas: number, timeoutMs = 20_000): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-dev-"));
  const t0 = performance.now();
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/dev.ts")], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      GATEWAY_REPLICAS: String(replicas),
      ...freeDevPorts(),
    },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  try {
    const reader = proc.stdout.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    const deadline = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    while (!seen.includes("The system is up")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`bun run dev exited before it was up:\n${seen.slice(-2000)}`);
      seen += decoder.decode(value, { stream: true });
    }
    clearTimeout(deadline);
    const elapsed = performance.now() - t0;
    reader.releaseLock();
    void proc.stdout.cancel().catch(() => {});
    return elapsed;
  } finally {
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
