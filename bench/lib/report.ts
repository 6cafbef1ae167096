// The bench's results: their shape, the console table, the Markdown report and
// a hand-made SVG chart (throughput bars and p99 per scenario).
import type { JobsMeasurement, JobsReport } from "./jobs";
import type { ProfileSummary } from "./profile";
import { edgeSection, pathSection, profileSection } from "./reportPath";

export type ScenarioGroup = "ceiling" | "direct" | "envoy" | "sweep" | "baseline" | "path" | "edge";

export interface ScenarioResult {
  id: string;
  group: ScenarioGroup;
  /** What was asked, e.g. "GET /users/{id}". */
  name: string;
  /** What answered: gateway, envoy, bun-serve, users-grpc, elysia-tutorial, fastify-node. */
  target: string;
  connections: number;
  runs: number;
  /** Medians over the runs. */
  rps: number;
  latencyMs: { p50: number; p99: number; p999: number };
  /** Summed over the runs: transport errors, timeouts and non-2xx answers. */
  errors: number;
  requests: number;
  /** Requests/s of each run, in order. */
  rpsRuns: number[];
  /** Max VmRSS per process during the runs, MiB. */
  rssMiB: Record<string, number>;
  /** CPU time (user + system) per request served, per process, µs: robust to other load on the machine. */
  cpuUsPerRequest: Record<string, number>;
  /** Of it, the kernel's (system time: system calls, loopback TCP), per process, µs; absent in reports before 2026-12-04 14:00. */
  kernelUsPerRequest?: Record<string, number>;
  tool: string;
  notes?: string;
}

export interface TargetCheck {
  name: string;
  goal: string;
  actual: string;
  ok: boolean | null;
  /** Where it does not hold: why, in the same run's numbers (lib/shortfalls.ts). */
  why?: string;
}

export interface BenchReport {
  version: 1;
  generatedAt: string;
  machine: Record<string, string | number>;
  settings: {
    quick: boolean;
    durationS: number;
    warmupS: number;
    repeats: number;
    /** Runs of each whole-path scenario (absent in reports from before it had its own). */
    pathRepeats?: number;
    gateways: number;
    headlineConnections: number;
    loadGenerator: string;
  };
  startup: { systemReadyMs: number; devReadyMs: number[]; devReadyMedianMs: number | null };
  scenarios: ScenarioResult[];
  ratios: Record<string, number | null>;
  targets: TargetCheck[];
  profile: (ProfileSummary & { scenario: string; file: string }) | null;
  /** The users service's CPU profile, taken in the same run as the gateway's. */
  usersProfile?: (ProfileSummary & { scenario: string; file: string }) | null;
  /** VmRSS of every process before any load, MiB. */
  idleRssMiB?: Record<string, number>;
  /** Of that, the file-backed pages (RssFile): for a Bun process, mostly the `bun` executable's. */
  idleFileMiB?: Record<string, number>;
  /** The jobs scenario (lib/jobs.ts); null when the group did not run. */
  jobs: JobsReport | null;
  skipped: string[];
  notes: string[];
  totalSeconds: number;
}

export const median = (values: number[]): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rssText = (rss: Record<string, number>) =>
  Object.entries(rss)
    .map(([name, mib]) => `${name} ${fmt(mib)}`)
    .join(", ");

const COLUMNS = [
  "scenario",
  "target",
  "conns",
  "req/s",
  "p50 ms",
  "p99 ms",
  "p99.9 ms",
  "errors",
  "runs",
  "CPU µs/req",
] as const;

const FRONT: Record<string, string> = {
  gateway: "gateway-1",
  "users-grpc": "users",
  "path-gateway": "gateway-1",
  "path-envoy": "envoy",
};

/** CPU per request of the process that answered (the gateway replica for gateway and Envoy rows). */
export function frontCpu(s: ScenarioResult): number | undefined {
  return s.cpuUsPerRequest?.[FRONT[s.target] ?? s.target];
}

function rows(report: BenchReport): string[][] {
  return report.scenarios.map((s) => [
    s.name,
    s.target,
    String(s.connections),
    fmt(s.rps),
    fmt(s.latencyMs.p50, 2),
    fmt(s.latencyMs.p99, 2),
    fmt(s.latencyMs.p999, 2),
    String(s.errors),
    String(s.runs),
    frontCpu(s) === undefined ? "–" : String(frontCpu(s)),
  ]);
}

export function consoleTable(report: BenchReport): string {
  const all = [[...COLUMNS], ...rows(report)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ");
  return [line(all[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

export function markdownReport(report: BenchReport, chartFile: string): string {
  const m = report.machine;
  const out: string[] = [];
  out.push(`# Benchmark results`, "");
  out.push(
    `Generated ${report.generatedAt} by \`bun run bench\`${report.settings.quick ? " (quick mode: smoke run, numbers not meaningful)" : ""} in ${fmt(report.totalSeconds)} s.`,
    `Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memGiB} GiB, ${m.os} (kernel ${m.kernel}); Bun ${m.bun}, Node ${m.node}; load generator ${report.settings.loadGenerator}.`,
    `Everything on loopback on the same ${m.cpus} cores (load generator included), ${report.settings.durationS} s per run after a ${report.settings.warmupS} s warm-up; ` +
      `headline comparisons are the median of ${report.settings.repeats} interleaved runs. Other work on the machine makes the numbers noisy: compare within one run.`,
    "",
  );
  out.push(`![throughput and p99 per scenario](${chartFile})`, "");
  out.push(`## Targets (GET /users/{id} with a Bearer token, ${report.settings.headlineConnections} connections)`, "");
  out.push(`| target | goal | measured | holds | why not, in this run's numbers |`, `|---|---|---|---|---|`);
  for (const t of report.targets)
    out.push(
      `| ${t.name} | ${t.goal} | ${t.actual} | ${t.ok === null ? "not measured" : t.ok ? "yes" : "**no**"} | ${t.why ?? ""} |`,
    );
  out.push("");
  out.push(`## Scenarios`, "");
  out.push(
    `| ${COLUMNS.join(" | ")} | max RSS MiB |`,
    `|${COLUMNS.map((_, i) => (i >= 2 ? "---:" : "---")).join("|")}|---|`,
  );
  rows(report).forEach((r, i) => out.push(`| ${r.join(" | ")} | ${rssText(report.scenarios[i]!.rssMiB)} |`));
  out.push(
    "",
    "Latencies are medians over the runs; errors are summed (connection errors, timeouts, any non-2xx answer; 201 counts as success). " +
      "CPU µs/req is the CPU time (user + system, from /proc) the answering process spent per request served: gateway-1 for gateway rows, " +
      "Envoy for Envoy rows, the users service for the gRPC ceiling. It moves much less than req/s when other work competes for the cores.",
    "",
  );
  const notes = report.scenarios.filter((s) => s.notes).map((s) => `- ${s.name} (${s.target}): ${s.notes}`);
  if (notes.length) out.push(...notes, "");
  out.push(`## Ratios`, "");
  out.push(`| ratio | value |`, `|---|---:|`);
  for (const [name, value] of Object.entries(report.ratios))
    out.push(`| ${name} | ${value === null ? "–" : fmt(value, 2)} |`);
  out.push("");
  out.push(`## Start-up`, "");
  out.push(
    `- \`bun run dev\` (scripts/dev.ts, ${report.settings.gateways} gateway replicas) from spawn to "The system is up": ${report.startup.devReadyMs.map((v) => `${fmt(v)} ms`).join(", ") || "not measured"}${report.startup.devReadyMedianMs === null ? "" : ` (median ${fmt(report.startup.devReadyMedianMs)} ms)`}`,
    `- the bench's own system (same topology) from the first spawn to the last ready line: ${fmt(report.startup.systemReadyMs)} ms`,
    "",
  );
  out.push(...pathSection(report), ...edgeSection(report));
  if (report.profile)
    out.push(
      ...profileSection("Gateway", "one extra gateway replica (in front of the extra users service)", report.profile),
    );
  if (report.usersProfile)
    out.push(
      ...profileSection("Users service", "one extra users service on the same SQLite data", report.usersProfile),
    );
  if (report.jobs) out.push(...jobsSection(report.jobs));
  if (report.skipped.length || report.notes.length) {
    out.push(`## Notes`, "");
    for (const s of report.skipped) out.push(`- Skipped: ${s}`);
    for (const n of report.notes) out.push(`- ${n}`);
    out.push("");
  }
  return out.join("\n");
}

const GROUP_COLOURS: Record<ScenarioGroup, string> = {
  ceiling: "#8c8c8c",
  direct: "#2f6db5",
  envoy: "#7b4fb0",
  sweep: "#4f9bd9",
  baseline: "#d9822b",
  path: "#3a9a5b",
  edge: "#b04f7b",
};

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Two horizontal bar panels sharing one label column: requests/s and p99 latency. */
export function svgChart(report: BenchReport): string {
  const scenarios = report.scenarios;
  const rowH = 22;
  const top = 56;
  const labelW = 330;
  const panelW = 300;
  const gap = 60;
  const width = labelW + panelW * 2 + gap + 30;
  const height = top + scenarios.length * rowH + 40;
  const maxRps = Math.max(1, ...scenarios.map((s) => s.rps));
  const maxP99 = Math.max(0.01, ...scenarios.map((s) => s.latencyMs.p99));
  const rpsX = labelW;
  const p99X = labelW + panelW + gap;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">bun run bench: ${escapeXml(report.generatedAt)}${report.settings.quick ? " (quick mode)" : ""}</text>`,
    `<text x="${rpsX}" y="${top - 10}" font-weight="600">requests/s (higher is better)</text>`,
    `<text x="${p99X}" y="${top - 10}" font-weight="600">p99 latency, ms (lower is better)</text>`,
  ];
  scenarios.forEach((s, i) => {
    const y = top + i * rowH;
    const colour = GROUP_COLOURS[s.group];
    const label = `${s.name} · ${s.target} · ${s.connections}c`;
    const rpsW = Math.max(1, (s.rps / maxRps) * (panelW - 70));
    const p99W = Math.max(1, (s.latencyMs.p99 / maxP99) * (panelW - 70));
    if (i % 2 === 0) parts.push(`<rect x="0" y="${y}" width="${width}" height="${rowH}" fill="#f4f6f8"/>`);
    parts.push(
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escapeXml(label)}</text>`,
      `<rect x="${rpsX}" y="${y + 4}" width="${rpsW.toFixed(1)}" height="${rowH - 8}" fill="${colour}"/>`,
      `<text x="${(rpsX + rpsW + 4).toFixed(1)}" y="${y + 15}">${fmt(s.rps)}</text>`,
      `<rect x="${p99X}" y="${y + 4}" width="${p99W.toFixed(1)}" height="${rowH - 8}" fill="${colour}" opacity="0.75"/>`,
      `<text x="${(p99X + p99W + 4).toFixed(1)}" y="${y + 15}">${fmt(s.latencyMs.p99, 2)}</text>`,
    );
  });
  const legendY = top + scenarios.length * rowH + 24;
  Object.entries(GROUP_COLOURS).forEach(([group, colour], i) => {
    const x = 12 + i * 110;
    parts.push(
      `<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${x + 16}" y="${legendY}">${group}</text>`,
    );
  });
  parts.push(`</svg>`);
  return `${parts.join("\n")}\n`;
}

type JobsRow = [metric: string, value: (m: JobsMeasurement) => number | null, digits: number, higherIsBetter: boolean];

const JOBS_ROWS: JobsRow[] = [
  ["pickup latency p50, idle worker (ms)", (m) => m.pickupMs.p50, 1, false],
  ["pickup latency p99, idle worker (ms)", (m) => m.pickupMs.p99, 1, false],
  ["drain, noop jobs, one create per call (jobs/s)", (m) => m.drainJobsPerS, 0, true],
  ["drain, noop jobs, batched creates (jobs/s)", (m) => m.drainBatchedJobsPerS, 0, true],
  ["drain, batched creates, worker at batch concurrency (jobs/s)", (m) => m.drainBatchedWorkerJobsPerS, 0, true],
  ["CPU per job of the queue's process (ms)", (m) => m.cpuMsPerJob, 2, false],
  ["CPU per job, batched creates and worker (ms)", (m) => m.cpuMsPerJobBatched ?? null, 2, false],
  ["pipeline, 5-step chain of noop steps: per step (ms)", (m) => m.pipelineStepOverheadMs, 0, false],
  ["worker process RSS, idle after start (MiB)", (m) => m.workerRssMiB?.idle ?? null, 1, false],
  ["worker process RSS, peak during a batched drain (MiB)", (m) => m.workerRssMiB?.peak ?? null, 1, false],
];

/** The jobs table: this system on SQLite and PostgreSQL beside graphile-worker, and PostgreSQL vs graphile-worker. */
export function jobsSection(jobs: JobsReport): string[] {
  const s = jobs.settings;
  const cell = (m: JobsMeasurement | null, row: JobsRow) => {
    const v = m ? row[1](m) : null;
    return v === null ? "–" : fmt(v, row[2]);
  };
  const out = [`## Jobs`, ""];
  out.push(
    `Worker concurrency ${s.concurrency}; pickup over ${s.pickupJobs} jobs one at a time (create → the worker has it), ` +
      `drain of ${s.drainJobs} noop jobs (${s.inFlight} creates in flight, first create → last acknowledged), ` +
      `${s.pipelines} pipeline(s). Batched creates: CreateJobs, 100 per call (graphile-worker: one addJobs call). ` +
      `Worker at batch concurrency: the worker SDK (@platform/worker) at concurrency ${s.batchConcurrency}, its claims asking for as many jobs as it has idle slots (max_jobs; BENCH_WORKER_OPTIONS adds SDK options), ` +
      `beside a graphile-worker runner at concurrency ${s.batchConcurrency}. ` +
      `This system's worker is bench/lib/jobsWorker.ts (long-poll ClaimJob, wait_ms ${s.claimWaitMs}, as the worker SDK); ` +
      `graphile-worker 0.17.3 runs on Node against a database of its own on the same PostgreSQL. CPU per job: the jobs service process; ` +
      `for graphile-worker its Node process (adds and runs the jobs); PostgreSQL's own CPU is in neither. ` +
      `Worker RSS: the reference worker process (its bundle, worker/dist/main.js, as its image and \`bun run dev\` run it) at concurrency ${s.batchConcurrency}, ` +
      `VmRSS 1 s after it is ready and its maximum (sampled every 100 ms) during another batched drain of ${s.drainJobs} noop jobs.`,
    "",
  );
  out.push(
    `| metric | this system, SQLite | this system, PostgreSQL | graphile-worker 0.17.3, PostgreSQL | PostgreSQL: this system / graphile-worker |`,
    `|---|---:|---:|---:|---:|`,
  );
  for (const row of JOBS_ROWS) {
    const ours = jobs.postgres ? row[1](jobs.postgres) : null;
    const theirs = jobs.graphileWorker ? row[1](jobs.graphileWorker) : null;
    const ratio = ours !== null && theirs ? `${fmt(ours / theirs, 2)}x` : "–";
    out.push(
      `| ${row[0]} | ${cell(jobs.sqlite, row)} | ${cell(jobs.postgres, row)} | ${cell(jobs.graphileWorker, row)} | ${ratio} |`,
    );
  }
  out.push("");
  return out;
}
