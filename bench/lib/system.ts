// The system under test, started the way `bun run dev` starts it (services in
// parallel, then the gateway replicas in parallel) but on free ports, with data
// in a temporary directory and LOG_LEVEL=warn.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMPONENT_ENTRIES, GATEWAY_READY, GRPC_READY, REPO_ROOT, type ServiceName } from "../../scripts/lib/components";
import { allStarted } from "../../scripts/lib/components";
import { freeDevPorts } from "../../tests/support/ports";
import { spawnReady, type ReadyProcess } from "./processes";

export const BENCH_JWT_SECRET = "bench-only-secret-0123456789abcdef-0123456789";

/** What the gateway needs for a load test: no login throttling, no per-request info logs. */
export function benchEnv(dataDir: string): Record<string, string> {
  return {
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    NODE_ENV: "development",
    JWT_SECRET_KEY: BENCH_JWT_SECRET,
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: "1000000000",
    LOGIN_MAX_FAILURES_PER_USERNAME: "1000000000",
    METRICS_PORT: "0",
  };
}

export interface BenchSystem {
  services: Record<ServiceName, ReadyProcess>;
  gateways: ReadyProcess[];
  /** Spawn of the first component to the last ready line. */
  readyMs: number;
  dataDir: string;
  gatewayEnv: Record<string, string>;
  all(): ReadyProcess[];
  stop(): Promise<void>;
}

export async function startBenchSystem(options: { gateways: number }): Promise<BenchSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-data-"));
  const env = benchEnv(dataDir);
  const started: ReadyProcess[] = [];
  const t0 = performance.now();
  const spawn = async (name: string, entry: string, readyMessage: string, extraEnv: Record<string, string>) => {
    const component = await spawnReady({ name, cmd: [process.execPath, join(REPO_ROOT, entry)], env: { ...env, ...extraEnv }, readyMessage });
    started.push(component);
    return component;
  };
  try {
    const [users, jobs, pipelines] = await allStarted(
      (["users", "jobs", "pipelines"] as const).map((name) => spawn(name, COMPONENT_ENTRIES[name], GRPC_READY, {})),
    );
    const gatewayEnv = {
      ...env,
      USER_SERVICE_URL: `127.0.0.1:${users!.port}`,
      JOBS_SERVICE_URL: `127.0.0.1:${jobs!.port}`,
      PIPELINE_SERVICE_URL: `127.0.0.1:${pipelines!.port}`,
    };
    const gateways = await allStarted(
      Array.from({ length: options.gateways }, (_, i) =>
        spawn(`gateway-${i + 1}`, COMPONENT_ENTRIES.gateway, GATEWAY_READY, { ...gatewayEnv, GATEWAY_REPLICA_ID: `gateway-${i + 1}` }),
      ),
    );
    const readyMs = performance.now() - t0;
    return {
      services: { users: users!, jobs: jobs!, pipelines: pipelines! },
      gateways,
      readyMs,
      dataDir,
      gatewayEnv,
      all: () => [...started],
      stop: async () => {
        await Promise.all(gateways.map((g) => g.stop("SIGTERM")));
        await Promise.all([users, jobs, pipelines].map((s) => s!.stop("SIGTERM")));
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map((c) => c.stop("SIGKILL")));
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** One more gateway replica against the running services, e.g. under `bun --cpu-prof`. */
export function startExtraGateway(system: BenchSystem, name: string, bunFlags: string[] = []): Promise<ReadyProcess> {
  return spawnReady({
    name,
    cmd: [process.execPath, ...bunFlags, join(REPO_ROOT, COMPONENT_ENTRIES.gateway)],
    env: { ...system.gatewayEnv, GATEWAY_REPLICA_ID: name },
    readyMessage: GATEWAY_READY,
  });
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
      LOG_FORMAT: "json",
      LOG_LEVEL: "warn",
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
