// Starting the system's processes: used by the dev supervisor, the whole-system
// tests and the benchmarks, so all three run the system the same way.
import type { Subprocess } from "bun";
import { join } from "node:path";
import { BUNDLE_ENTRY, freshBundle } from "@platform/kit/bundle";
import { LIFELINE_ENV } from "@platform/kit/lifeline";

export const REPO_ROOT = join(import.meta.dir, "..", "..");

export interface ComponentSpec {
  /** Shown in prefixes and errors, e.g. "users" or "gateway-2". */
  name: string;
  /** One of the system's components: run as its bundle (componentCommand) unless `command` says otherwise, ready as it says it is (READINESS). */
  component?: ComponentName;
  /** Any command (a baseline under node, a component's sources...). */
  command?: string[];
  /** Flags for the bun that runs a component (e.g. --cpu-prof); only with `component`. */
  bunFlags?: readonly string[];
  /** A tree laid out like the repository that the component is in and the process runs in (an image's /app); default the repository. */
  root?: string;
  env: Record<string, string | undefined>;
  /** The log message (pino `msg`) that says the process is ready (it carries `port` unless listens is false); a component's own by default. */
  readyMessage?: string;
  /** false for a process that serves no port (the worker). */
  listens?: boolean;
  startTimeoutMs?: number;
  /** Every stdout/stderr line, in order (under load in batches, READ_PAUSE_MS apart). */
  onLine?: (line: string) => void;
}

export interface RunningComponent {
  name: string;
  pid: number;
  port: number;
  /** The separate Prometheus port a gRPC service logged ("metrics listening"), if any. */
  metricsPort?: number;
  process: Subprocess;
  /** The last lines the component printed, at least the last RECENT_LINES (for failure reports). */
  recentLines: string[];
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** How many of a component's last lines RunningComponent.recentLines keeps at least. */
export const RECENT_LINES = 200;

/** Each component's workspace: it runs as <workspace>/dist/main.js, the bundle of its src/main.ts (@platform/kit/bundle). */
export const COMPONENT_WORKSPACES = {
  users: "services/users",
  jobs: "services/jobs",
  pipelines: "services/pipelines",
  gateway: "gateway",
  worker: "worker",
} as const;
export type ComponentName = keyof typeof COMPONENT_WORKSPACES;

/**
 * The memory limit of each component's pod (k8s/base; tests/deploy checks they agree), in MiB. Each process here
 * gets its pod's figure as the RAM its JavaScript heap is sized for (JSC_RAM_SIZE_ENV).
 */
export const POD_MEMORY_LIMIT_MIB: Record<ComponentName, number> = {
  users: 384,
  jobs: 256,
  pipelines: 256,
  gateway: 384,
  worker: 192,
};

/**
 * The RAM JavaScriptCore sizes its heap for, in bytes, read once at start. It takes the machine's RAM otherwise,
 * and from 16 GiB up lets a heap grow to about four times what survived the last collection (its "aggressive"
 * mode); Bun does not read a container's limit. So every pod sets it from its own memory limit (the downward
 * API, k8s/base), and every component started here gets its pod's (POD_MEMORY_LIMIT_MIB), unless the
 * environment already sets it (0 is the machine's RAM). k8s/README.md, "Memory per pod", has the measurements.
 */
export const JSC_RAM_SIZE_ENV = "BUN_JSC_forceRAMSize";

/** The environment a component runs with before the caller's own: its heap sized for its pod's memory limit. */
function componentEnv(component: ComponentName): Record<string, string> {
  return { [JSC_RAM_SIZE_ENV]: String(POD_MEMORY_LIMIT_MIB[component] * 1024 * 1024) };
}

export const GRPC_READY = "gRPC server listening";
export const GATEWAY_READY = "gateway listening";
export const METRICS_READY = "metrics listening";
export const WORKER_READY = "worker started";

/** How each component says it is ready: the line it logs, and whether that line names the port it serves. */
export const READINESS: Record<ComponentName, { readyMessage: string; listens: boolean }> = {
  users: { readyMessage: GRPC_READY, listens: true },
  jobs: { readyMessage: GRPC_READY, listens: true },
  pipelines: { readyMessage: GRPC_READY, listens: true },
  gateway: { readyMessage: GATEWAY_READY, listens: true },
  worker: { readyMessage: WORKER_READY, listens: false },
};

/**
 * The command that runs `component`: this bun (with `bunFlags`, e.g. --cpu-prof) on its bundle. In the
 * repository the bundle is built first if its files changed since; an image's tree (`root`) runs the
 * bundle its build stage made, as is.
 */
async function componentCommand(
  component: ComponentName,
  options: { root?: string | undefined; bunFlags?: readonly string[] } = {},
): Promise<string[]> {
  const workspace = COMPONENT_WORKSPACES[component];
  const bundle = options.root
    ? join(options.root, workspace, BUNDLE_ENTRY)
    : await freshBundle(join(REPO_ROOT, workspace));
  return [process.execPath, ...(options.bunFlags ?? []), bundle];
}

/** Appends `line`, keeping at least the last `keep` lines (trimmed in batches: a busy component prints thousands a second). */
export function remember(lines: string[], line: string, keep = RECENT_LINES): void {
  lines.push(line);
  if (lines.length > 2 * keep) lines.splice(0, lines.length - keep);
}

/**
 * How long a reader leaves a component's output alone after reading it. Under load a component writes its
 * lines a few at a time, and each read wakes the reader and costs the writer the wake-up: left alone for a
 * few milliseconds, the pipe hands over all of them at once (`bun run dev` under GET load: ~1,000 reads a
 * second of ~13 lines each before; the supervisor's CPU per request went from ~6 to ~2.5 µs).
 */
export const READ_PAUSE_MS = 10;
/** A chunk this large means the pipe is filling up: the reader goes on at once, so no component waits on it. */
export const BACKLOG_BYTES = 64 * 1024;
/** How long a stopped process's output may take to end (something it started could hold the pipes open). */
const DRAIN_TIMEOUT_MS = 1_000;

/** Calls `onLine` for each line of `stream`, reading it after each `pause` unless it is filling up. */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
  pause: () => Promise<unknown> = () => Bun.sleep(READ_PAUSE_MS),
): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    // A chunk under load holds hundreds of lines: split it once, keep the unfinished tail.
    const lines = (buffered + decoder.decode(chunk, { stream: true })).split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) onLine(line);
    if (chunk.byteLength < BACKLOG_BYTES) await pause();
  }
  if (buffered) onLine(buffered);
}

/**
 * Reads a process's stdout and stderr line by line. The function it returns resolves once both have
 * ended (at most DRAIN_TIMEOUT_MS after it is called): once the process has exited, its last lines are in.
 */
export function readOutput(
  proc: { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array> },
  onLine: (line: string) => void,
): () => Promise<void> {
  // A stream that fails to read ends its lines there; it must not end the process that reads it.
  const ended = Promise.allSettled([readLines(proc.stdout, onLine), readLines(proc.stderr, onLine)]);
  return async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)))]);
    clearTimeout(timer);
  };
}

/** Sends `signal` (SIGKILL after `timeoutMs`) unless it has exited, then waits for the exit and its last lines; the exit code. */
export async function stopProcess(
  proc: Subprocess,
  lastLines: () => Promise<void>,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<number | null> {
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill(signal);
    const killer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    await proc.exited;
    clearTimeout(killer);
  }
  await lastLines();
  return proc.exitCode;
}

/** Spawns a component and resolves once it logs `readyMessage` (with its port). */
export async function startComponent(spec: ComponentSpec): Promise<RunningComponent> {
  const root = spec.root ?? REPO_ROOT;
  const command =
    spec.command ??
    (spec.component ? await componentCommand(spec.component, { root: spec.root, bunFlags: spec.bunFlags }) : undefined);
  if (!command) throw new Error(`${spec.name}: give a component or a command`);
  const readiness =
    spec.readyMessage !== undefined
      ? { readyMessage: spec.readyMessage, listens: spec.listens }
      : spec.component && READINESS[spec.component];
  if (!readiness) throw new Error(`${spec.name}: give a component or a readyMessage`);
  const { readyMessage, listens } = readiness;
  const started = performance.now();
  const recentLines: string[] = [];
  const proc = Bun.spawn(command, {
    cwd: root,
    // stdin is the component's lifeline (kit's runProcess): held open here, it closes when this process ends
    // however it ends, and the component stops instead of outliving us.
    env: {
      ...(spec.component ? componentEnv(spec.component) : {}),
      ...process.env,
      ...spec.env,
      [LIFELINE_ENV]: "stdin",
    },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "pipe",
  });

  return new Promise<RunningComponent>((resolve, reject) => {
    let ready = false;
    let metricsPort: number | undefined;
    const onLine = (line: string) => {
      remember(recentLines, line);
      spec.onLine?.(line);
      if (ready || !line.startsWith("{")) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === METRICS_READY && typeof entry.port === "number") metricsPort = entry.port;
        // Servers say where they listen; a client-only process (the worker) just says it runs.
        if (entry.msg === readyMessage && (typeof entry.port === "number" || !listens)) {
          ready = true;
          clearTimeout(timer);
          const port = typeof entry.port === "number" ? entry.port : 0;
          resolve({
            name: spec.name,
            pid: proc.pid,
            port,
            metricsPort,
            process: proc,
            recentLines,
            readyMs: performance.now() - started,
            stop,
          });
        }
      } catch {
        // not a log line of ours
      }
    };
    const lastLines = readOutput(proc, onLine);

    const stop = (signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000) =>
      stopProcess(proc, lastLines, signal, timeoutMs);
    const fail = (why: string) => {
      void stop("SIGKILL");
      reject(new Error(`${spec.name} ${why}:\n${recentLines.slice(-30).join("\n")}`));
    };
    const timer = setTimeout(
      () => fail(`was not ready within ${spec.startTimeoutMs ?? 15_000} ms`),
      spec.startTimeoutMs ?? 15_000,
    );
    void proc.exited.then(async (code) => {
      if (ready) return;
      clearTimeout(timer);
      // Why it stopped is usually its last line.
      await lastLines();
      if (!ready) fail(`exited with code ${code} before it was ready`);
    });
  });
}

export type ServiceName = "users" | "jobs" | "pipelines";

/** A service process; its metrics port is a free one unless `env` names one (several run side by side). */
export function startService(
  name: ServiceName,
  env: Record<string, string | undefined>,
  onLine?: (line: string) => void,
  root?: string,
) {
  return startComponent({
    name,
    component: name,
    root,
    env: { METRICS_PORT: "0", ...env },
    onLine,
  });
}

export function startGateway(
  name: string,
  env: Record<string, string | undefined>,
  onLine?: (line: string) => void,
  root?: string,
) {
  return startComponent({ name, component: "gateway", root, env, onLine });
}

/** A reference worker claiming jobs from the jobs service at JOBS_SERVICE_URL; its metrics port is a free one unless `env` names one. */
export function startWorker(
  name: string,
  env: Record<string, string | undefined>,
  onLine?: (line: string) => void,
  root?: string,
) {
  return startComponent({
    name,
    component: "worker",
    root,
    env: { METRICS_PORT: "0", ...env },
    onLine,
  });
}

/**
 * Like Promise.all, but waits for every start to finish before failing, so a
 * process that came up beside one that did not is in `started` and gets
 * stopped, not leaked.
 */
export async function allStarted<T extends readonly unknown[]>(
  starts: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(starts);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Runs a component that is expected to stop by itself (a bad configuration); its exit code and stderr. */
export async function runUntilExit(
  component: ComponentName,
  env: Record<string, string | undefined>,
  timeoutMs = 15_000,
): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn(await componentCommand(component), {
    cwd: REPO_ROOT,
    env: { ...componentEnv(component), ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  clearTimeout(timer);
  return { code, stderr };
}
