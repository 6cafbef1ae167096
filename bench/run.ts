// `bun run bench`: starts the system like `bun run dev` (free ports, data in a
// temporary directory, logging as shipped), warms up, drives load on loopback with
// wrk (or autocannon), and writes bench/results/latest.{json,md,svg}.
// Settings: see bench/README.md (BENCH_QUICK, BENCH_DURATION, BENCH_REPEATS, ...).
// The parts: lib/scenarios.ts (what is measured), lib/baselines.ts (what it is
// compared with), lib/measure.ts (runs), lib/results.ts and lib/report.ts (the report).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ceilingScenarios, baselineScenarios } from "./lib/baselines";
import { jobsSettings, runJobsScenario } from "./lib/jobs";
import { chooseLoadGenerator, type LoadGenerator } from "./lib/loadgen";
import { measure } from "./lib/measure";
import { loadOptions, type BenchOptions } from "./lib/options";
import { residentMiB, spawnReady } from "./lib/processes";
import { profilePath } from "./lib/profile";
import { median, type BenchReport, type ScenarioResult } from "./lib/report";
import { machineInfo, printSummary, ratios, targets, writeReport, wrkVersion } from "./lib/results";
import {
  directScenarios,
  envoyScenarios,
  getUserDirect,
  seed,
  sweepScenarios,
  workloadsFor,
  type BenchContext,
  type Scenario,
} from "./lib/scenarios";
import { measureDevStartup, startBenchSystem, SUPERVISOR, type BenchSystem } from "./lib/system";
import { edgeScenarios, pathScenarios } from "./lib/wholePath";

const log = (line: string) => console.error(line);

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const t0 = performance.now();
  const skipped: string[] = [];
  const notes: string[] = [];
  const scenarios: ScenarioResult[] = [];
  const pids = new Map<string, number>();
  const cleanups: (() => Promise<unknown>)[] = [];
  let system: BenchSystem | undefined;
  let profile: BenchReport["profile"] = null;
  let usersProfile: BenchReport["profile"] = null;
  /** Every process's RSS before any load, and the file-backed part of it. */
  const idle: Record<string, { rss: number; file: number }> = {};
  let jobs: BenchReport["jobs"] = null;
  const devReadyMs: number[] = [];
  const C = options.connections;

  const loadgen: LoadGenerator = chooseLoadGenerator(options.loadGenerator, log);
  const loadgenName = options.loadGenerator === "autocannon" || !Bun.which("wrk") ? "autocannon@9.0.0" : wrkVersion();

  try {
    if (options.groups.has("startup")) {
      for (let i = 0; i < (options.quick ? 1 : 3); i++)
        devReadyMs.push(Math.round(await measureDevStartup(options.gateways)));
      log(`bench: bun run dev ready in ${devReadyMs.join(", ")} ms`);
    }

    system = await startBenchSystem({ gateways: options.gateways });
    cleanups.push(() => system!.stop());
    for (const p of system.all()) pids.set(p.name, p.pid);
    pids.set(SUPERVISOR, process.pid);
    log(`bench: system ready in ${Math.round(system.readyMs)} ms (${system.gateways.length} gateway replicas)`);
    const gatewayUrl = `http://127.0.0.1:${system.gateways[0]!.port}`;
    const seeded = await seed(gatewayUrl);
    const ctx: BenchContext = {
      options,
      loadgen,
      system,
      gatewayUrl,
      seed: seeded,
      workloads: workloadsFor(seeded),
      spawn: async (name, cmd, env, readyMessage) => {
        const proc = await spawnReady({ name, cmd, env, readyMessage });
        cleanups.push(() => proc.stop("SIGTERM"));
        pids.set(name, proc.pid);
        return proc;
      },
      track: (name, pid, stop) => {
        cleanups.push(stop);
        pids.set(name, pid);
      },
      skipped,
      notes,
    };

    // Ceilings, then the gateway, Envoy and the baselines; the headline (GET /users/{id}
    // on each) is measured interleaved, `options.repeats` times.
    const all: Scenario[] = [];
    const headline: Scenario[] = [];
    if (options.groups.has("ceiling")) all.push(...(await ceilingScenarios(ctx)));
    if (options.groups.has("direct")) all.push(...directScenarios(ctx, headline));
    if (options.groups.has("envoy")) all.push(...(await envoyScenarios(ctx, headline)));
    if (options.groups.has("baseline")) headline.push(...(await baselineScenarios(ctx)));
    const path = options.groups.has("path") ? await pathScenarios(ctx, log) : [];
    const edge = options.groups.has("edge") ? await edgeScenarios(ctx) : [];
    // Every process is up and nothing has loaded it yet: its idle RSS.
    for (const [name, pid] of pids) {
      const resident = residentMiB(pid);
      if (resident === undefined) continue;
      idle[name] = { rss: Math.round(resident.rss * 10) / 10, file: Math.round(resident.file * 10) / 10 };
    }

    const run = async (batch: Scenario[], repeats: number) =>
      scenarios.push(...(await measure(batch, repeats, options, pids, log)));
    await run(
      all.filter((s) => s.group === "ceiling"),
      1,
    );
    if (headline.length) await run(headline, options.repeats);
    // Every path gets the same JIT warm-up however much load its processes saw before (the gateway has
    // served the groups above, the baselines' processes are fresh).
    if (path.length)
      scenarios.push(
        ...(await measure(
          path,
          options.pathRepeats,
          { ...options, warmupS: options.quick ? 0 : Math.max(options.warmupS, 3) },
          pids,
          log,
        )),
      );
    if (edge.length) await run(edge, Math.min(2, options.repeats));
    await run(
      all.filter((s) => s.group === "direct"),
      1,
    );
    await run(
      all.filter((s) => s.group === "envoy"),
      1,
    );

    if (options.groups.has("sweep")) {
      const headlineId = getUserDirect(ctx).id;
      await run(
        sweepScenarios(
          ctx,
          options.sweep.filter((c) => c !== C || !scenarios.some((s) => s.id === headlineId)),
        ),
        1,
      );
      const headlineRow = scenarios.find((s) => s.id === headlineId);
      if (headlineRow && options.sweep.includes(C))
        scenarios.push({
          ...headlineRow,
          id: `sweep:getUser@${C}`,
          group: "sweep",
          name: "GET /users/{id} sweep",
          notes: "the headline runs above",
        });
      scenarios.sort((a, b) => (a.group === "sweep" && b.group === "sweep" ? a.connections - b.connections : 0));
    }

    if (options.profile) {
      // GET then POST, so both paths through the users service are in the profiles.
      const load = async (url: string) => {
        for (const workload of [ctx.workloads.getUser, ctx.workloads.createUser])
          await loadgen({ url, connections: C, durationS: options.durationS, workload });
      };
      const summaries = await profilePath(system, load, join(options.outDir, "tmp"));
      const scenario = `GET /users/{id} then POST /users/, ${C} connections, ${options.durationS} s each`;
      if (!summaries.gateway) skipped.push("gateway CPU profile: bun --cpu-prof wrote no .cpuprofile");
      else profile = { ...summaries.gateway, scenario };
      if (!summaries.users) skipped.push("users service CPU profile: bun --cpu-prof wrote no .cpuprofile");
      else usersProfile = { ...summaries.users, scenario };
    }

    // Jobs: systems of their own (fresh databases, a worker), after the HTTP load is over.
    if (options.groups.has("jobs")) {
      jobs = await runJobsScenario(jobsSettings(options.quick), log);
      skipped.push(...jobs.skipped);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }

  return {
    version: 1,
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    settings: {
      quick: options.quick,
      durationS: options.durationS,
      warmupS: options.warmupS,
      repeats: options.repeats,
      pathRepeats: options.pathRepeats,
      gateways: options.gateways,
      headlineConnections: C,
      loadGenerator: loadgenName,
    },
    startup: {
      systemReadyMs: Math.round(system?.readyMs ?? 0),
      devReadyMs,
      devReadyMedianMs: devReadyMs.length ? median(devReadyMs) : null,
    },
    scenarios,
    ratios: ratios(scenarios, C),
    targets: targets(scenarios, C, devReadyMs, jobs, idle),
    profile,
    usersProfile,
    idleRssMiB: Object.fromEntries(Object.entries(idle).map(([name, r]) => [name, r.rss])),
    idleFileMiB: Object.fromEntries(Object.entries(idle).map(([name, r]) => [name, r.file])),
    jobs,
    skipped,
    notes,
    totalSeconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}

if (import.meta.main) {
  const options = loadOptions();
  // A directory that cannot be made fails now, not after the whole run.
  mkdirSync(options.outDir, { recursive: true });
  const report = await runBench(options);
  await writeReport(report, options.outDir);
  printSummary(report, options.outDir);
  process.exit(0);
}
