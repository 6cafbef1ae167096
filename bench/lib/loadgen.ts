// HTTP load generators: wrk (Debian's package, installed on first use when we
// are root) with a generated Lua script, else autocannon from npm (pinned).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const AUTOCANNON = "autocannon@9.0.0";

export interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  /** JSON body; every "{n}" becomes a value unique within the run (e.g. for emails). */
  body?: string;
  /** Relative share in a mixed workload. */
  weight?: number;
}

export interface Workload {
  requests: RequestSpec[];
  headers: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  durationS: number;
  rps: number;
  /** Connection errors, timeouts and non-2xx/3xx answers. */
  errors: number;
  latencyMs: { p50: number; p99: number; p999: number; max: number; mean: number };
  tool: string;
  notes?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  workload: Workload;
}

export type LoadGenerator = (options: LoadOptions) => Promise<LoadResult>;

let scratch: string | undefined;
const scratchDir = () => (scratch ??= mkdtempSync(join(tmpdir(), "bench-lua-")));
let runCounter = 0;

const luaString = (value: string) => JSON.stringify(value); // JSON string escapes are valid Lua

/** The Lua script wrk runs: fixed request when possible, else a weighted cycle with unique bodies. */
export function wrkScript(workload: Workload, runId: string): string {
  const lines = [
    `local headers = {}`,
    ...Object.entries(workload.headers).map(([k, v]) => `headers[${luaString(k)}] = ${luaString(v)}`),
    `wrk.headers = headers`,
    `local threads = 0`,
    `function setup(thread) threads = threads + 1; thread:set("tid", threads) end`,
  ];
  const only = workload.requests.length === 1 ? workload.requests[0]! : undefined;
  if (only && !only.body?.includes("{n}")) {
    lines.push(`wrk.method = ${luaString(only.method)}`, `wrk.path = ${luaString(only.path)}`);
    if (only.body !== undefined) lines.push(`wrk.body = ${luaString(only.body)}`);
  } else {
    lines.push(`local cycle = {}`);
    workload.requests.forEach((r, i) => {
      const parts = (r.body ?? "").split("{n}").map(luaString);
      const body = r.body === undefined ? "nil" : parts.join(` .. uid .. `);
      lines.push(
        `local function r${i}(uid) return wrk.format(${luaString(r.method)}, ${luaString(r.path)}, nil, ${body}) end`,
      );
      for (let k = 0; k < (r.weight ?? 1); k++) lines.push(`cycle[#cycle + 1] = r${i}`);
    });
    lines.push(
      `local counter = 0`,
      `function request()`,
      `  counter = counter + 1`,
      `  return cycle[(counter % #cycle) + 1](${luaString(runId)} .. "-" .. tostring(tid) .. "-" .. counter)`,
      `end`,
    );
  }
  lines.push(
    `function done(summary, latency, requests)`,
    `  local e = summary.errors`,
    `  io.write(string.format('BENCH_RESULT {"requests":%d,"duration_us":%d,"errors":%d,"p50":%f,"p99":%f,"p999":%f,"max":%f,"mean":%f}\\n',`,
    `    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,`,
    `    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))`,
    `end`,
  );
  return `${lines.join("\n")}\n`;
}

async function run(cmd: string[], timeoutMs: number): Promise<string> {
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd[0]} exited with ${code}: ${stderr.trim() || stdout.trim()}`);
  return stdout;
}

export const wrk =
  (bin: string): LoadGenerator =>
  async ({ url, connections, durationS, workload }) => {
    const runId = `${Date.now().toString(36)}${(runCounter++).toString(36)}`;
    const script = join(scratchDir(), `${runId}.lua`);
    writeFileSync(script, wrkScript(workload, runId));
    const threads = Math.min(2, connections);
    const out = await run(
      [
        bin,
        "-t",
        String(threads),
        "-c",
        String(connections),
        "-d",
        `${durationS}s`,
        "--timeout",
        "5s",
        "-s",
        script,
        url,
      ],
      (durationS + 20) * 1000,
    );
    const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
    if (!line) throw new Error(`wrk printed no result:\n${out}`);
    const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as Record<string, number>;
    const ms = (us: number | undefined) => Math.round((us ?? 0) / 10) / 100;
    const duration = r.duration_us! / 1e6;
    return {
      requests: r.requests!,
      durationS: duration,
      rps: Math.round(r.requests! / duration),
      errors: r.errors!,
      latencyMs: { p50: ms(r.p50), p99: ms(r.p99), p999: ms(r.p999), max: ms(r.max), mean: ms(r.mean) },
      tool: "wrk",
    };
  };

interface AutocannonJson {
  requests: { total: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: Record<string, number>;
}

export const autocannon: LoadGenerator = async ({ url, connections, durationS, workload }) => {
  // The CLI drives one request shape: a mixed workload runs its heaviest-weighted request.
  const main = [...workload.requests].sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1))[0]!;
  const args = ["x", AUTOCANNON, "--json", "-c", String(connections), "-d", String(durationS), "-m", main.method];
  for (const [k, v] of Object.entries(workload.headers)) args.push("-H", `${k}=${v}`);
  if (main.body !== undefined) args.push("-b", main.body.replaceAll("{n}", "[<id>]"), "-I");
  args.push(new URL(main.path, url).toString());
  const out = await run([process.execPath, ...args], (durationS + 60) * 1000);
  const r = JSON.parse(out.slice(out.indexOf("{"))) as AutocannonJson;
  const round = (v: number | undefined) => Math.round((v ?? 0) * 100) / 100;
  return {
    requests: r.requests.total,
    durationS: r.duration,
    rps: Math.round(r.requests.total / r.duration),
    errors: r.errors + r.timeouts + r.non2xx,
    latencyMs: {
      p50: round(r.latency.p50),
      p99: round(r.latency.p99),
      p999: round(r.latency.p99_9),
      max: round(r.latency.max),
      mean: round(r.latency.average),
    },
    tool: AUTOCANNON,
    ...(workload.requests.length > 1 ? { notes: `autocannon runs only ${main.method} ${main.path} of the mix` } : {}),
  };
};

/** wrk from PATH, else `apt-get install -y wrk` when we are root on Debian, else undefined. */
export function findOrInstallWrk(log: (line: string) => void): string | undefined {
  const found = Bun.which("wrk");
  if (found) return found;
  if (process.getuid?.() !== 0 || !Bun.which("apt-get")) return undefined;
  log("bench: wrk is missing; installing it with apt-get (Debian package wrk)");
  const install = () =>
    Bun.spawnSync(["apt-get", "install", "-y", "-qq", "wrk"], {
      stdout: "ignore",
      stderr: "pipe",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  let result = install();
  if (result.exitCode !== 0) {
    Bun.spawnSync(["apt-get", "update", "-qq"], { stdout: "ignore", stderr: "ignore" });
    result = install();
  }
  if (result.exitCode !== 0)
    log(`bench: apt-get install wrk failed: ${result.stderr.toString().trim().split("\n").at(-1)}`);
  return Bun.which("wrk") ?? undefined;
}

export function chooseLoadGenerator(preference: string | undefined, log: (line: string) => void): LoadGenerator {
  if (preference !== "autocannon") {
    const bin = findOrInstallWrk(log);
    if (bin) return wrk(bin);
    if (preference === "wrk") throw new Error("BENCH_LOADGEN=wrk, but wrk is missing and could not be installed");
    log(`bench: wrk unavailable; falling back to ${AUTOCANNON} (npm)`);
  }
  return autocannon;
}
