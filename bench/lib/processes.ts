// Spawning the processes a benchmark drives (any command, not only `bun`), waiting
// for their ready line, and sampling their resident memory while load runs.
import { readFileSync } from "node:fs";
import { startComponent } from "@platform/harness";

export type { RunningComponent as ReadyProcess } from "@platform/harness";

export interface SpawnSpec {
  name: string;
  cmd: string[];
  env: Record<string, string | undefined>;
  /** The JSON log line's `msg` that says the process is ready; it carries `port`. */
  readyMessage: string;
  startTimeoutMs?: number;
}

/** Spawns `cmd` (any program) and resolves once it prints `{"msg": readyMessage, "port": N}`. */
export const spawnReady = (spec: SpawnSpec) =>
  startComponent({
    name: spec.name,
    command: spec.cmd,
    env: spec.env,
    readyMessage: spec.readyMessage,
    startTimeoutMs: spec.startTimeoutMs,
  });

const VM_RSS = /^VmRSS:\s+(\d+)\s+kB/m;
const RSS_FILE = /^RssFile:\s+(\d+)\s+kB/m;

/** VmRSS of a process in MiB, or undefined once it is gone. */
export const rssMiB = (pid: number): number | undefined => residentMiB(pid)?.rss;

/**
 * A process's resident memory in MiB: all of it (VmRSS) and its file-backed pages (RssFile), which for a
 * Bun process are mostly the pages of the `bun` executable it has run; undefined once it is gone.
 */
export function residentMiB(pid: number): { rss: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = VM_RSS.exec(status)?.[1];
    return rss === undefined ? undefined : { rss: Number(rss) / 1024, file: Number(RSS_FILE.exec(status)?.[1]) / 1024 };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in milliseconds (from /proc/<pid>/stat), or undefined once it is gone. */
export const cpuMs = (pid: number): number | undefined => cpuTimesMs(pid)?.total;

/**
 * The CPU time a process has used, in milliseconds: all of it (utime + stime) and the kernel's part (stime:
 * system calls, and on loopback the TCP work of each send); undefined once it is gone.
 */
export function cpuTimesMs(pid: number): { total: number; kernel: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const user = Number(fields[11]);
    const kernel = Number(fields[12]);
    return { total: ((user + kernel) * 1000) / CLOCK_TICKS, kernel: (kernel * 1000) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/**
 * Polls VmRSS of named processes and keeps each one's maximum; also the CPU
 * time each one used between start() and stop() (and the kernel's part of it),
 * which, divided by the requests served, stays meaningful when other work
 * competes for the cores.
 */
export class RssSampler {
  private readonly max = new Map<string, number>();
  private readonly cpuAtStart = new Map<string, { total: number; kernel: number }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  cpuUsedMs: Record<string, number> = {};
  kernelUsedMs: Record<string, number> = {};

  constructor(
    private readonly pids: ReadonlyMap<string, number>,
    private readonly intervalMs = 200,
  ) {}

  start(): this {
    for (const [name, pid] of this.pids) {
      const cpu = cpuTimesMs(pid);
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
      const end = cpuTimesMs(pid);
      if (start === undefined || end === undefined) continue;
      this.cpuUsedMs[name] = end.total - start.total;
      this.kernelUsedMs[name] = end.kernel - start.kernel;
    }
    return Object.fromEntries([...this.max].map(([name, mib]) => [name, Math.round(mib * 10) / 10]));
  }
}
