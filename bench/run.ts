// `bun run bench`: starts the system like `bun run dev` (free ports, data in a
// temporary directory, LOG_LEVEL=warn), warms up, drives load on loopback with
// wrk (or autocannon), and writes bench/results/latest.{json,md,svg}.
// Settings: see bench/README.md (BENCH_QUICK, BENCH_DURATION, BENCH_REPEATS, ...).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "@platform/harness";
import { chooseLoadGenerator, type LoadGenerator, type LoadResult, type Workload } from "./lib/loadgen";
import { loadOptions, type BenchOptions } from "./lib/options";
import { RssSampler, spawnReady, type ReadyProcess } from "./lib/processes";
import { summariseProfile } from "./lib/profile";
import { consoleTable, frontCpu, markdownReport, median, svgChart, type BenchReport, type ScenarioGroup, type ScenarioResult, type TargetCheck } from "./lib/report";
import { BENCH_JWT_SECRET, measureDevStartup, startBenchSystem, startExtraGateway, type BenchSystem } from "./lib/system";

const BENCH_DIR = import.meta.dir;
const log = (line: string) => console.error(line);

/** What `scripts/lib/envoy.ts` (branch edge) exports, as far as the bench uses it. */
interface EnvoyModule {
  startEnvoy(options: Record<string, unknown> & { gatewayAddresses: readonly string[]; listenPort?: number; adminPort?: number }): Promise<{
    pid: number;
    port: number;
    stop(signal?: NodeJS.Signals): Promise<unknown>;
  }>;
}

interface Scenario {
  id: string;
  group: ScenarioGroup;
  name: string;
  target: string;
  connections: number;
  /** Process names whose RSS the report shows for this scenario. */
  processes: string[];
  run(durationS: number, warmup: boolean): Promise<LoadResult>;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const t0 = performance.now();
  const skipped: string[] = [];
  const notes: string[] = [];
  const scenarios: ScenarioResult[] = [];
  const pids = new Map<string, number>();
  const cleanups: (() => Promise<unknown>)[] = [];
  let system: BenchSystem | undefined;
  let profile: BenchReport["profile"] = null;
  const devReadyMs: number[] = [];

  const loadgen: LoadGenerator = chooseLoadGenerator(options.loadGenerator, log);
  const loadgenName = options.loadGenerator === "autocannon" || !Bun.which("wrk") ? "autocannon@9.0.0" : wrkVersion();

  try {
    if (options.groups.has("startup")) {
      for (let i = 0; i < (options.quick ? 1 : 3); i++) devReadyMs.push(Math.round(await measureDevStartup(options.gateways)));
      log(`bench: bun run dev ready in ${devReadyMs.join(", ")} ms`);
    }

    system = await startBenchSystem({ gateways: options.gateways });
    cleanups.push(() => system!.stop());
    for (const p of system.all()) pids.set(p.name, p.pid);
    log(`bench: system ready in ${Math.round(system.readyMs)} ms (${system.gateways.length} gateway replicas)`);
    const gatewayUrl = `http://127.0.0.1:${system.gateways[0]!.port}`;
    const servicesNames = ["users", "jobs", "pipelines"];

    // Seed: a token, a user and a pipeline to read.
    const token = await login(gatewayUrl);
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const userId = await create(gatewayUrl, "/users/", { name: "Bench Reader", email: "reader@example.com" }, auth);
    const pipelineId = await create(gatewayUrl, "/pipelines/", { pipeline_name: "bench pipeline" }, auth);

    const workloads = {
      login: { requests: [{ method: "POST", path: "/login", body: JSON.stringify({ username: "admin", password: "secret" }) }], headers: { "content-type": "application/json" } },
      getUser: { requests: [{ method: "GET", path: `/users/${userId}` }], headers: auth },
      createUser: { requests: [{ method: "POST", path: "/users/", body: `{"name":"Bench User","email":"bench-{n}@example.com"}` }], headers: auth },
      createJob: { requests: [{ method: "POST", path: "/jobs/", body: `{"job_name":"bench job {n}"}` }], headers: auth },
      getPipeline: { requests: [{ method: "GET", path: `/pipelines/${pipelineId}` }], headers: auth },
      mixed: {
        requests: [
          { method: "GET", path: `/users/${userId}`, weight: 7 },
          { method: "GET", path: `/pipelines/${pipelineId}`, weight: 1 },
          { method: "POST", path: "/users/", body: `{"name":"Mixed User","email":"mixed-{n}@example.com"}`, weight: 1 },
          { method: "POST", path: "/jobs/", body: `{"job_name":"mixed job {n}"}`, weight: 1 },
        ],
        headers: auth,
      },
    } satisfies Record<string, Workload>;
    const endpoints: [keyof typeof workloads, string][] = [
      ["login", "POST /login"],
      ["getUser", "GET /users/{id}"],
      ["createUser", "POST /users/"],
      ["createJob", "POST /jobs/"],
      ["getPipeline", "GET /pipelines/{id}"],
      ["mixed", "mixed 70% GET user, 10% GET pipeline, 10% POST user, 10% POST job"],
    ];
    const http = (id: string, group: ScenarioGroup, name: string, target: string, url: string, workload: Workload, connections: number, processes: string[]): Scenario => ({
      id,
      group,
      name,
      target,
      connections,
      processes,
      run: (durationS) => loadgen({ url, connections, durationS, workload }),
    });
    const C = options.connections;
    const gatewayProcs = ["gateway-1", ...servicesNames];

    // Other processes: ceilings, baselines, Envoy.
    const spawnBench = async (name: string, cmd: string[], env: Record<string, string>, readyMessage: string) => {
      const proc = await spawnReady({ name, cmd, env, readyMessage });
      cleanups.push(() => proc.stop("SIGTERM"));
      pids.set(name, proc.pid);
      return proc;
    };
    const baselineEnv = { PORT: "0", JWT_SECRET_KEY: BENCH_JWT_SECRET, USER_SERVICE_URL: `127.0.0.1:${system.services.users.port}` };

    const all: Scenario[] = [];
    const headline: Scenario[] = [];
    const getUserDirect = http(`gateway:getUser@${C}`, "direct", "GET /users/{id}", "gateway", gatewayUrl, workloads.getUser, C, gatewayProcs);

    if (options.groups.has("ceiling")) {
      const ceiling = await spawnBench("bun-serve", [process.execPath, join(BENCH_DIR, "ceilings/httpCeiling.ts")], {}, "http ceiling listening");
      all.push(http(`ceiling:http@${C}`, "ceiling", "GET / (bare Bun.serve JSON)", "bun-serve", `http://127.0.0.1:${ceiling.port}`, { requests: [{ method: "GET", path: "/" }], headers: {} }, C, ["bun-serve"]));
      all.push({
        id: `ceiling:grpc@${C}`,
        group: "ceiling",
        name: "GetUser (grpc-js unary, one channel)",
        target: "users-grpc",
        connections: C,
        processes: ["users"],
        run: (durationS, warmup) => grpcCeiling(system!.services.users.port, userId, C, durationS, warmup ? 0 : options.warmupS),
      });
    }
    if (options.groups.has("direct")) {
      for (const [key, name] of endpoints) {
        // A login runs one argon2id verification (tens of ms of CPU) on purpose: it is
        // measured with one connection per core, since more connections only queue.
        const conns = key === "login" ? Math.min(C, cpus().length) : C;
        const scenario = key === "getUser" ? getUserDirect : http(`gateway:${key}@${conns}`, "direct", name, "gateway", gatewayUrl, workloads[key], conns, gatewayProcs);
        if (key === "getUser" && options.groups.has("baseline")) headline.push(scenario);
        else all.push(scenario);
        if (options.quick && key === "createUser") break;
      }
    }

    let envoyUrl: string | undefined;
    if (options.groups.has("envoy")) {
      const modulePath = options.envoyModule ? join(process.cwd(), options.envoyModule) : join(REPO_ROOT, "scripts/lib/envoy.ts");
      if (!existsSync(modulePath)) {
        skipped.push(`Envoy scenarios: ${modulePath.replace(REPO_ROOT + "/", "")} is not in this branch (the edge work adds startEnvoy); rerun after merging it.`);
      } else {
        const { startEnvoy } = (await import(modulePath)) as EnvoyModule;
        const envoy = await startEnvoy({
          gatewayAddresses: system.gateways.map((g) => `127.0.0.1:${g.port}`),
          listenPort: 0,
          adminPort: 0,
          readyPort: 0,
          logLevel: "error",
          // The shipped edge configuration, as `bun run dev` and k8s run it (no rate limit by default).
        });
        cleanups.push(() => envoy.stop("SIGTERM"));
        pids.set("envoy", envoy.pid);
        envoyUrl = `http://127.0.0.1:${envoy.port}`;
        if (options.envoyModule) notes.push(`Envoy came from BENCH_ENVOY_MODULE=${options.envoyModule}, not scripts/lib/envoy.ts.`);
        const envoyProcs = ["envoy", ...system.gateways.map((g) => g.name), ...servicesNames];
        for (const [key, name] of endpoints) {
          const scenario = http(`envoy:${key}@${C}`, "envoy", name, "envoy", envoyUrl, workloads[key], C, envoyProcs);
          if (key === "getUser" && options.groups.has("baseline")) headline.push(scenario);
          else all.push(scenario);
        }
      }
    }

    if (options.groups.has("baseline")) {
      const elysia = await spawnBench("elysia-tutorial", [process.execPath, join(BENCH_DIR, "baselines/elysia-tutorial.ts")], baselineEnv, "baseline listening");
      headline.push(http(`baseline:elysia@${C}`, "baseline", "GET /users/{id}", "elysia-tutorial", `http://127.0.0.1:${elysia.port}`, workloads.getUser, C, ["elysia-tutorial", "users"]));
      const node = Bun.which("node");
      if (!node) skipped.push("Fastify baseline: node is not on PATH.");
      else {
        const fastify = await spawnBench("fastify-node", [node, join(BENCH_DIR, "baselines/fastify-node.mjs")], baselineEnv, "baseline listening");
        headline.push(http(`baseline:fastify@${C}`, "baseline", "GET /users/{id}", "fastify-node", `http://127.0.0.1:${fastify.port}`, workloads.getUser, C, ["fastify-node", "users"]));
      }
    }

    const measure = async (batch: Scenario[], repeats: number) => {
      // Interleaved: run 1 of every scenario, then run 2, ..., so drift in the
      // machine's load spreads over all of them instead of biasing one.
      const runs = new Map<string, { result: LoadResult; rss: Record<string, number>; cpu: Record<string, number> }[]>(batch.map((s) => [s.id, []]));
      for (const s of batch) {
        if (options.warmupS > 0) await s.run(options.warmupS, true);
      }
      for (let r = 0; r < repeats; r++) {
        for (const s of batch) {
          const sampler = new RssSampler(new Map(s.processes.filter((p) => pids.has(p)).map((p) => [p, pids.get(p)!]))).start();
          const result = await s.run(options.durationS, false);
          const rss = sampler.stop();
          runs.get(s.id)!.push({ result, rss, cpu: sampler.cpuUsedMs });
          log(`bench: ${s.name} · ${s.target} · ${s.connections}c: ${result.rps} req/s, p99 ${result.latencyMs.p99} ms, ${result.errors} errors`);
        }
      }
      for (const s of batch) scenarios.push(aggregate(s, runs.get(s.id)!));
    };

    await measure(all.filter((s) => s.group === "ceiling"), 1);
    if (headline.length) await measure(headline, options.repeats);
    await measure(all.filter((s) => s.group === "direct"), 1);
    await measure(all.filter((s) => s.group === "envoy"), 1);

    if (options.groups.has("sweep")) {
      const levels = options.sweep.filter((c) => c !== C || !scenarios.some((s) => s.id === getUserDirect.id));
      await measure(
        levels.map((c) => ({ ...http(`sweep:getUser@${c}`, "sweep", "GET /users/{id} sweep", "gateway", gatewayUrl, workloads.getUser, c, gatewayProcs) })),
        1,
      );
      const headlineRow = scenarios.find((s) => s.id === getUserDirect.id);
      if (headlineRow && options.sweep.includes(C)) scenarios.push({ ...headlineRow, id: `sweep:getUser@${C}`, group: "sweep", name: "GET /users/{id} sweep", notes: "the headline runs above" });
      scenarios.sort((a, b) => (a.group === "sweep" && b.group === "sweep" ? a.connections - b.connections : 0));
    }

    if (options.profile) {
      const dir = mkdtempSync(join(tmpdir(), "bench-prof-"));
      const prof = await startExtraGateway(system, "gateway-prof", ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
      try {
        await loadgen({ url: `http://127.0.0.1:${prof.port}`, connections: C, durationS: options.durationS, workload: workloads.getUser });
      } finally {
        await prof.stop("SIGTERM");
      }
      const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
      if (!file) skipped.push("CPU profile: bun --cpu-prof wrote no .cpuprofile");
      else {
        const keep = join(options.outDir, "tmp");
        mkdirSync(keep, { recursive: true });
        copyFileSync(join(dir, file), join(keep, "gateway.cpuprofile"));
        profile = { ...summariseProfile(join(dir, file)), scenario: `GET /users/{id}, ${C} connections, ${options.durationS} s`, file: "bench/results/tmp/gateway.cpuprofile (not committed)" };
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }

  const find = (id: string) => scenarios.find((s) => s.id === id);
  const C = options.connections;
  const gw = find(`gateway:getUser@${C}`);
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? Math.round((a / b) * 100) / 100 : null);
  const ratios: Record<string, number | null> = {
    "gateway GET /users/{id} / backend ceiling (grpc-js GetUser)": ratio(gw?.rps, find(`ceiling:grpc@${C}`)?.rps),
    "gateway GET /users/{id} / HTTP ceiling (bare Bun.serve)": ratio(gw?.rps, find(`ceiling:http@${C}`)?.rps),
    "gateway / Elysia tutorial baseline (req/s)": ratio(gw?.rps, find(`baseline:elysia@${C}`)?.rps),
    "gateway / Fastify-on-Node baseline (req/s)": ratio(gw?.rps, find(`baseline:fastify@${C}`)?.rps),
  };
  for (const s of scenarios.filter((x) => x.group === "envoy")) {
    const direct = scenarios.find((x) => x.group === "direct" && x.name === s.name);
    ratios[`Envoy path / direct: ${s.name}`] = ratio(s.rps, direct?.rps);
  }

  const report: BenchReport = {
    version: 1,
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    settings: { quick: options.quick, durationS: options.durationS, warmupS: options.warmupS, repeats: options.repeats, gateways: options.gateways, headlineConnections: C, loadGenerator: loadgenName },
    startup: { systemReadyMs: Math.round(system?.readyMs ?? 0), devReadyMs, devReadyMedianMs: devReadyMs.length ? median(devReadyMs) : null },
    scenarios,
    ratios,
    targets: targets(scenarios, C, devReadyMs),
    profile,
    skipped,
    notes,
    totalSeconds: Math.round((performance.now() - t0) / 100) / 10,
  };
  return report;
}

function aggregate(s: Scenario, runs: { result: LoadResult; rss: Record<string, number>; cpu: Record<string, number> }[]): ScenarioResult {
  const rss: Record<string, number> = {};
  for (const r of runs) for (const [name, mib] of Object.entries(r.rss)) rss[name] = Math.max(rss[name] ?? 0, mib);
  const cpuUsPerRequest: Record<string, number> = {};
  const requests = runs.reduce((n, r) => n + r.result.requests, 0);
  for (const name of Object.keys(runs[0]?.cpu ?? {})) {
    const ms = runs.reduce((sum, r) => sum + (r.cpu[name] ?? 0), 0);
    if (requests > 0) cpuUsPerRequest[name] = Math.round((ms * 1000) / requests);
  }
  const notes = [...new Set(runs.map((r) => r.result.notes).filter(Boolean))].join("; ");
  return {
    id: s.id,
    group: s.group,
    name: s.name,
    target: s.target,
    connections: s.connections,
    runs: runs.length,
    rps: Math.round(median(runs.map((r) => r.result.rps))),
    latencyMs: {
      p50: median(runs.map((r) => r.result.latencyMs.p50)),
      p99: median(runs.map((r) => r.result.latencyMs.p99)),
      p999: median(runs.map((r) => r.result.latencyMs.p999)),
    },
    errors: runs.reduce((n, r) => n + r.result.errors, 0),
    requests: runs.reduce((n, r) => n + r.result.requests, 0),
    rpsRuns: runs.map((r) => r.result.rps),
    rssMiB: rss,
    cpuUsPerRequest,
    tool: runs[0]?.result.tool ?? "",
    ...(notes ? { notes } : {}),
  };
}

function targets(scenarios: ScenarioResult[], C: number, devReadyMs: number[]): TargetCheck[] {
  const find = (id: string) => scenarios.find((s) => s.id === id);
  const gw = find(`gateway:getUser@${C}`);
  const out: TargetCheck[] = [];
  const vs = (id: string, label: string, factor: number) => {
    const base = find(id);
    if (!gw || !base) return out.push({ name: `vs ${label}`, goal: `≥ ${factor}x req/s at a lower p99`, actual: "not measured", ok: null });
    const x = gw.rps / base.rps;
    out.push({
      name: `vs ${label}`,
      goal: `≥ ${factor}x req/s at a lower p99`,
      actual: `${x.toFixed(2)}x (${gw.rps} vs ${base.rps} req/s); p99 ${gw.latencyMs.p99} vs ${base.latencyMs.p99} ms; CPU ${frontCpu(gw) ?? "?"} vs ${frontCpu(base) ?? "?"} µs/req`,
      ok: x >= factor && gw.latencyMs.p99 < base.latencyMs.p99,
    });
  };
  vs(`baseline:elysia@${C}`, "Elysia tutorial gateway", 1.5);
  vs(`baseline:fastify@${C}`, "Fastify on Node", 3);
  const envoy = find(`envoy:getUser@${C}`);
  out.push(
    envoy && gw
      ? { name: "Envoy path", goal: "≥ 85% of direct req/s", actual: `${Math.round((envoy.rps / gw.rps) * 100)}% (${envoy.rps} vs ${gw.rps} req/s)`, ok: envoy.rps / gw.rps >= 0.85 }
      : { name: "Envoy path", goal: "≥ 85% of direct req/s", actual: "not measured", ok: null },
  );
  const rss = gw?.rssMiB["gateway-1"];
  out.push({ name: "gateway RSS under load", goal: "< 80 MB", actual: rss === undefined ? "not measured" : `${rss} MiB (${Math.round(rss * 1.048576)} MB)`, ok: rss === undefined ? null : rss * 1.048576 < 80 });
  const dev = devReadyMs.length ? median(devReadyMs) : undefined;
  out.push({ name: "whole system ready after `bun run dev`", goal: "< 2 s", actual: dev === undefined ? "not measured" : `${Math.round(dev)} ms (median of ${devReadyMs.length})`, ok: dev === undefined ? null : dev < 2000 });
  return out;
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: "secret" }) });
  if (response.status !== 200) throw new Error(`bench: login answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function create(url: string, path: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`bench: POST ${path} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

async function grpcCeiling(port: number, userId: number, concurrency: number, durationS: number, warmupS: number): Promise<LoadResult> {
  const proc = Bun.spawn([process.execPath, join(BENCH_DIR, "ceilings/grpcCeiling.ts")], {
    env: { ...process.env, TARGET: `127.0.0.1:${port}`, CONCURRENCY: String(concurrency), DURATION_S: String(durationS), WARMUP_S: String(warmupS), USER_ID: String(userId) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), (durationS + warmupS + 20) * 1000);
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`grpc ceiling printed no result:\n${out}${err}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as Record<string, number>;
  return {
    requests: r.requests!,
    durationS: r.durationS!,
    rps: Math.round(r.requests! / r.durationS!),
    errors: r.errors!,
    latencyMs: { p50: r.p50!, p99: r.p99!, p999: r.p999!, max: r.max!, mean: r.mean! },
    tool: "bench/ceilings/grpcCeiling.ts",
    notes: `${concurrency} calls in flight over one channel, client in its own Bun process`,
  };
}

function wrkVersion(): string {
  const out = Bun.spawnSync(["wrk", "-v"], { stdout: "pipe", stderr: "pipe" });
  return /wrk [\d.]+/.exec(out.stdout.toString() + out.stderr.toString())?.[0] ?? "wrk";
}

function machineInfo(): Record<string, string | number> {
  const osRelease = existsSync("/etc/os-release") ? /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] : undefined;
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cpus: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    os: osRelease ?? process.platform,
    kernel: release(),
    bun: Bun.version,
    node: Bun.spawnSync(["node", "--version"]).stdout.toString().trim() || "absent",
  };
}

export async function writeReport(report: BenchReport, outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(outDir, "latest.svg"), svgChart(report));
  writeFileSync(join(outDir, "latest.md"), markdownReport(report, "latest.svg"));
}

if (import.meta.main) {
  const options = loadOptions();
  const report = await runBench(options);
  await writeReport(report, options.outDir);
  console.log(consoleTable(report));
  console.log("");
  for (const t of report.targets) console.log(`${t.ok === null ? "–" : t.ok ? "✓" : "✗"} ${t.name}: ${t.goal}; measured ${t.actual}`);
  for (const s of report.skipped) console.log(`skipped: ${s}`);
  console.log(`\nbench: ${report.totalSeconds} s; wrote ${join(options.outDir, "latest.{json,md,svg}")}`);
  process.exit(0);
}
