// From measured scenarios to the report: the ratios, the targets of issue 8, the
// machine it ran on, and the files and console lines it ends with.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import {
  consoleTable,
  frontCpu,
  jobsSection,
  markdownReport,
  median,
  svgChart,
  type BenchReport,
  type ScenarioResult,
  type TargetCheck,
} from "./report";
import type { JobsReport } from "./jobs";
import { pathRatios } from "./reportPath";
import { edgeShortfall, type IdleRss, pathShortfall, roundsShortfall, rssShortfall } from "./shortfalls";
import { EDGE_FLOOR, SATURATED_EDGE } from "./wholePath";

export function ratios(scenarios: ScenarioResult[], C: number): Record<string, number | null> {
  const find = (id: string) => scenarios.find((s) => s.id === id);
  const gw = find(`gateway:getUser@${C}`);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b ? Math.round((a / b) * 100) / 100 : null;
  const out: Record<string, number | null> = {
    "gateway GET /users/{id} / backend ceiling (grpc-js GetUser)": ratio(gw?.rps, find(`ceiling:grpc@${C}`)?.rps),
    "gateway GET /users/{id} / HTTP ceiling (bare Bun.serve)": ratio(gw?.rps, find(`ceiling:http@${C}`)?.rps),
    "gateway / Elysia tutorial baseline (req/s)": ratio(gw?.rps, find(`baseline:elysia@${C}`)?.rps),
    "gateway / Fastify-on-Node baseline (req/s)": ratio(gw?.rps, find(`baseline:fastify@${C}`)?.rps),
  };
  Object.assign(out, pathRatios(scenarios));
  for (const s of scenarios.filter((x) => x.group === "envoy")) {
    const direct = scenarios.find((x) => x.group === "direct" && x.name === s.name);
    out[`Envoy path / direct: ${s.name}`] = ratio(s.rps, direct?.rps);
  }
  return out;
}

export function targets(
  scenarios: ScenarioResult[],
  C: number,
  devReadyMs: number[],
  jobs: JobsReport | null = null,
  idle: Record<string, IdleRss> = {},
): TargetCheck[] {
  const find = (id: string) => scenarios.find((s) => s.id === id);
  const gw = find(`gateway:getUser@${C}`);
  const out: TargetCheck[] = [];
  const vs = (id: string, label: string, factor: number) => {
    const base = find(id);
    if (!gw || !base)
      return out.push({
        name: `vs ${label}`,
        goal: `≥ ${factor}x req/s at a lower p99`,
        actual: "not measured",
        ok: null,
      });
    const x = gw.rps / base.rps;
    const ok = x >= factor && gw.latencyMs.p99 < base.latencyMs.p99;
    out.push({
      name: `vs ${label}`,
      goal: `≥ ${factor}x req/s at a lower p99`,
      actual: `${x.toFixed(2)}x (${gw.rps} vs ${base.rps} req/s); p99 ${gw.latencyMs.p99} vs ${base.latencyMs.p99} ms; CPU ${frontCpu(gw) ?? "?"} vs ${frontCpu(base) ?? "?"} µs/req`,
      ok,
      ...(ok ? {} : { why: roundsShortfall(gw, base) }),
    });
  };
  vs(`baseline:elysia@${C}`, "Elysia tutorial gateway (shared backend, issue 8)", 1.5);
  vs(`baseline:fastify@${C}`, "Fastify on Node (shared backend, issue 8)", 3);
  // Issue 15: the whole path, same run.
  const path = (target: string, method: string) =>
    scenarios.find((s) => s.group === "path" && s.target === target && s.name.startsWith(method));
  const pathTarget = (
    name: string,
    goal: string,
    a: ScenarioResult | undefined,
    b: ScenarioResult | undefined,
    min: number,
    shortfall: (a: ScenarioResult, b: ScenarioResult) => string,
  ) => {
    if (!a || !b) return out.push({ name, goal, actual: "not measured", ok: null });
    const x = a.rps / b.rps;
    const ok = x >= min;
    out.push({
      name,
      goal,
      actual: `${x.toFixed(2)}x (${a.rps} vs ${b.rps} req/s)`,
      ok,
      ...(ok ? {} : { why: shortfall(a, b) }),
    });
  };
  const edge = (target: string) => scenarios.find((s) => s.group === "edge" && s.target === target);
  const throughEnvoy = (a: ScenarioResult, b: ScenarioResult) =>
    edgeShortfall(a, b, edge(EDGE_FLOOR), edge(SATURATED_EDGE));
  pathTarget(
    "whole path GET vs tutorial Elysia path",
    "≥ 1.5x req/s",
    path("path-gateway", "GET"),
    path("path-elysia", "GET"),
    1.5,
    pathShortfall,
  );
  pathTarget(
    "whole path POST vs tutorial Elysia path",
    "≥ 1.2x req/s",
    path("path-gateway", "POST"),
    path("path-elysia", "POST"),
    1.2,
    pathShortfall,
  );
  pathTarget(
    "whole path through the shipped Envoy vs direct (GET)",
    "≥ 0.8x req/s",
    path("path-envoy", "GET"),
    path("path-gateway", "GET"),
    0.8,
    throughEnvoy,
  );
  pathTarget(
    "whole path through the shipped Envoy vs direct (POST)",
    "≥ 0.8x req/s",
    path("path-envoy", "POST"),
    path("path-gateway", "POST"),
    0.8,
    throughEnvoy,
  );
  const bareBun = idle["bun-serve"] ?? idle["bun-serve-edge"];
  /** The highest of a process's RSS measurements under load, against its cap. */
  const rssTarget = (name: string, limitMB: number, measured: { mib: number; where: string; idle?: IdleRss }[]) => {
    const peak = measured.reduce<(typeof measured)[number] | undefined>(
      (a, b) => (!a || b.mib > a.mib ? b : a),
      undefined,
    );
    const ok = peak === undefined ? null : peak.mib * 1.048576 <= limitMB;
    out.push({
      name,
      goal: `≤ ${limitMB} MB`,
      actual:
        peak === undefined
          ? "not measured"
          : `${peak.mib} MiB (${Math.round(peak.mib * 1.048576)} MB) in ${peak.where}`,
      ok,
      ...(peak && ok === false ? { why: rssShortfall(limitMB, peak.mib, peak.idle, bareBun) } : {}),
    });
  };
  const underLoad = (name: string) =>
    scenarios.flatMap((s) =>
      s.rssMiB[name] === undefined ? [] : [{ mib: s.rssMiB[name], where: `${s.name} (${s.target})`, idle: idle[name] }],
    );
  rssTarget("gateway RSS under load", 100, underLoad("gateway-1"));
  rssTarget("users service RSS under load", 80, underLoad("users"));
  // The reference worker's peak during the jobs scenario's batched drain (SQLite and, when run, PostgreSQL).
  rssTarget(
    "worker RSS under load",
    60,
    [jobs?.sqlite, jobs?.postgres].flatMap((m) =>
      m?.workerRssMiB
        ? [
            {
              mib: m.workerRssMiB.peak,
              where: "the jobs scenario's batched drain",
              idle: { rss: m.workerRssMiB.idle, file: m.workerRssMiB.idleFile },
            },
          ]
        : [],
    ),
  );
  const dev = devReadyMs.length ? median(devReadyMs) : undefined;
  out.push({
    name: "whole system ready after `bun run dev`",
    goal: "< 2 s",
    actual: dev === undefined ? "not measured" : `${Math.round(dev)} ms (median of ${devReadyMs.length})`,
    ok: dev === undefined ? null : dev < 2000,
    ...(dev !== undefined && dev >= 2000 ? { why: `runs: ${devReadyMs.map(Math.round).join(", ")} ms` } : {}),
  });
  return out;
}

export function wrkVersion(): string {
  const out = Bun.spawnSync(["wrk", "-v"], { stdout: "pipe", stderr: "pipe" });
  return /wrk [\d.]+/.exec(out.stdout.toString() + out.stderr.toString())?.[0] ?? "wrk";
}

export function machineInfo(): Record<string, string | number> {
  const osRelease = existsSync("/etc/os-release")
    ? /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1]
    : undefined;
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
  writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, "latest.svg"), svgChart(report));
  writeFileSync(join(outDir, "latest.md"), markdownReport(report, "latest.svg"));
}

/** The table, the targets and what was skipped, for the console. */
export function printSummary(report: BenchReport, outDir: string): void {
  console.log(consoleTable(report));
  console.log("");
  for (const t of report.targets)
    console.log(
      `${t.ok === null ? "–" : t.ok ? "✓" : "✗"} ${t.name}: ${t.goal}; measured ${t.actual}${t.why ? `\n    why: ${t.why}` : ""}`,
    );
  if (report.jobs) console.log(`\n${jobsSection(report.jobs).slice(4).join("\n")}`);
  for (const s of report.skipped) console.log(`skipped: ${s}`);
  console.log(`\nbench: ${report.totalSeconds} s; wrote ${join(outDir, "latest.{json,md,svg}")}`);
}
