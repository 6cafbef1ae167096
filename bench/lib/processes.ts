// Spawning the processes a benchmark drives (any command, not only `bun`), waiting
// for their ready line, and sampling their resident memory while load runs.
import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";

export interface ReadyProcess {
  name: string;
  pid: number;
  port: number;
  process: Subprocess;
  recentLines: string[];
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

export interface SpawnSpec {
  name: string;
  cmd: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** The JSON log line's `msg` that says the process is ready; it carries `port`. */
  readyMessage: string;
  startTimeoutMs?: number;
}

async function readLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  }
  if (buffered) onLine(buffered);
}

/** Spawns `cmd` and resolves once it prints `{"msg": readyMessage, "port": N}`. */
export function spawnReady(spec: SpawnSpec): Promise<ReadyProcess> {
  const started = performance.now();
  const recentLines: string[] = [];
  const proc = Bun.spawn(spec.cmd, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const stop = async (signal: NodeJS.Signals = "SIGTERM", timeoutMs = 10_000) => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      await proc.exited;
      clearTimeout(timer);
    }
    return proc.exitCode;
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const onLine = (line: string) => {
      recentLines.push(line);
      if (recentLines.length > 100) recentLines.shift();
      if (ready || !line.startsWith("{")) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === spec.readyMessage && typeof entry.port === "number") {
          ready = true;
          clearTimeout(timer);
          resolve({ name: spec.name, pid: proc.pid, port: entry.port, process: proc, recentLines, readyMs: performance.now() - started, stop });
        }
      } catch {
        // not a JSON line
      }
    };
    void readLines(proc.stdout, onLine);
    void readLines(proc.stderr, onLine);
    const fail = (why: string) => {
      void stop("SIGKILL");
      reject(new Error(`${spec.name} ${why}:\n${recentLines.slice(-20).join("\n")}`));
    };
    const timeoutMs = spec.startTimeoutMs ?? 20_000;
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    void proc.exited.then((code) => {
      if (!ready) {
        clearTimeout(timer);
        fail(`exited with code ${code} before it was ready`);
      }
    });
  });
}

/** VmRSS of a process in MiB, or undefined once it is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in milliseconds (from /proc/<pid>/stat), or undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/**
 * Polls VmRSS of named processes and keeps each one's maximum; also the CPU
 * time each one used between start() and stop(), which, divided by the
 * requests served, stays meaningful when other work competes for the cores.
 */
export class RssSampler {
  private readonly max = new Map<string, number>();
  private readonly cpuAtStart = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  cpuUsedMs: Record<string, number> = {};

  constructor(private readonly pids: ReadonlyMap<string, number>, private readonly intervalMs = 200) {}

  start(): this {
    for (const [name, pid] of this.pids) {
      const cpu = cpuMs(pid);
      if (cpu !== undefined) this.cpuAtStart.set(name, cpu);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  private sample(): void {
    for (const [name, pid] of this.pids) {
      const rss = rssMiB(pid);
      if (rss !== undefined && rss > (this.max.get(name) ?? 0)) this.max.set(name, rss);
    }
  }

  /** Stops sampling; the maximum RSS seen per process, in MiB (one decimal). */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    for (const [name, pid] of this.pids) {
      const start = this.cpuAtStart.get(name);
      const end = cpuMs(pid);
      if (start !== undefined && end !== undefined) this.cpuUsedMs[name] = end - start;
    }
    return Object.fromEntries([...this.max].map(([name, mib]) => [name, Math.round(mib * 10) / 10]));
  }
}
