// Runs scenarios and turns their runs into results: medians of throughput and
// latency, max RSS and CPU time per request of every process involved.
import type { LoadResult } from "./loadgen";
import type { BenchOptions } from "./options";
import { RssSampler } from "./processes";
import { median, type ScenarioResult } from "./report";
import type { Scenario } from "./scenarios";

interface Run {
  result: LoadResult;
  rss: Record<string, number>;
  cpu: Record<string, number>;
  kernel: Record<string, number>;
}

/**
 * Measures `batch`, `repeats` runs each, interleaved: run 1 of every scenario,
 * then run 2, ..., so drift in the machine's load spreads over all of them
 * instead of biasing one.
 */
export async function measure(
  batch: Scenario[],
  repeats: number,
  options: Pick<BenchOptions, "warmupS" | "durationS">,
  pids: ReadonlyMap<string, number>,
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const runs = new Map<string, Run[]>(batch.map((s) => [s.id, []]));
  for (const s of batch) {
    if (options.warmupS > 0) await s.run(options.warmupS, true);
  }
  for (let r = 0; r < repeats; r++) {
    for (const s of batch) {
      const sampler = new RssSampler(
        new Map(s.processes.filter((p) => pids.has(p)).map((p) => [p, pids.get(p)!])),
      ).start();
      const result = await s.run(options.durationS, false);
      const rss = sampler.stop();
      runs.get(s.id)!.push({ result, rss, cpu: sampler.cpuUsedMs, kernel: sampler.kernelUsedMs });
      if (s.settleMs) await Bun.sleep(s.settleMs);
      log(
        `bench: ${s.name} · ${s.target} · ${s.connections}c: ${result.rps} req/s, p99 ${result.latencyMs.p99} ms, ${result.errors} errors`,
      );
    }
  }
  return batch.map((s) => aggregate(s, runs.get(s.id)!));
}

function aggregate(s: Scenario, runs: Run[]): ScenarioResult {
  const rss: Record<string, number> = {};
  for (const r of runs) for (const [name, mib] of Object.entries(r.rss)) rss[name] = Math.max(rss[name] ?? 0, mib);
  const requests = runs.reduce((n, r) => n + r.result.requests, 0);
  /** Per process, the CPU time `of` a run gives it, summed over the runs, per request served (µs). */
  const perRequest = (of: (run: Run) => Record<string, number>) => {
    const us: Record<string, number> = {};
    for (const name of Object.keys(runs[0] ? of(runs[0]) : {})) {
      const ms = runs.reduce((sum, r) => sum + (of(r)[name] ?? 0), 0);
      if (requests > 0) us[name] = Math.round((ms * 1000) / requests);
    }
    return us;
  };
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
    cpuUsPerRequest: perRequest((r) => r.cpu),
    kernelUsPerRequest: perRequest((r) => r.kernel),
    tool: runs[0]?.result.tool ?? "",
    ...(notes ? { notes } : {}),
  };
}
