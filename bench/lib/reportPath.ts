// The report's whole-path parts: the path table (each contender's GET and POST,
// ratios to the tutorial Elysia path), CPU and RSS of every process on each path,
// the edge's cost per Envoy variant, and a CPU profile's tables.
import { ENVOY_VARIANTS } from "./envoyVariants";
import type { ProfileSummary } from "./profile";
import type { BenchReport, ScenarioResult } from "./report";
import { EDGE_FLOOR, PATH_TARGETS, SATURATED_EDGE } from "./wholePath";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b ? Math.round((a / b) * 100) / 100 : null;

function pathRow(scenarios: ScenarioResult[], target: string, endpoint: "GET" | "POST") {
  return scenarios.find((s) => s.group === "path" && s.target === target && s.name.startsWith(endpoint));
}

/** CPU µs per request of every process on the scenario's path, summed. */
export const cpuSum = (s: ScenarioResult | undefined) =>
  s ? Object.values(s.cpuUsPerRequest).reduce((a, b) => a + b, 0) : undefined;

/** "whole path GET: <target> / tutorial Elysia" and the Envoy / direct ratios, for report.ratios. */
export function pathRatios(scenarios: ScenarioResult[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const endpoint of ["GET", "POST"] as const) {
    const elysia = pathRow(scenarios, "path-elysia", endpoint)?.rps;
    for (const target of Object.keys(PATH_TARGETS)) {
      const row = pathRow(scenarios, target, endpoint);
      if (row && target !== "path-elysia") {
        out[`whole path ${endpoint}: ${target} / path-elysia (req/s)`] = ratio(row.rps, elysia);
        out[`whole path ${endpoint}: ${target} / path-elysia (requests per CPU-second)`] = ratio(
          cpuSum(pathRow(scenarios, "path-elysia", endpoint)),
          cpuSum(row),
        );
      }
    }
    out[`whole path ${endpoint}: through Envoy / direct (req/s)`] = ratio(
      pathRow(scenarios, "path-envoy", endpoint)?.rps,
      pathRow(scenarios, "path-gateway", endpoint)?.rps,
    );
  }
  return out;
}

const cpuText = (s: ScenarioResult | undefined) =>
  s
    ? Object.entries(s.cpuUsPerRequest)
        .map(([p, us]) => `${p} ${us}`)
        .join(", ")
    : "–";

/** Requests per CPU-second of the whole path against Elysia's: what req/s would be if CPU were the only limit. */
const perCore = (s: ScenarioResult | undefined, base: ScenarioResult | undefined) => {
  const r = ratio(cpuSum(base), cpuSum(s));
  return r === null ? "–" : `${fmt(r, 2)}x`;
};

export function pathSection(report: BenchReport): string[] {
  const scenarios = report.scenarios;
  const targets = Object.keys(PATH_TARGETS).filter((t) => scenarios.some((s) => s.group === "path" && s.target === t));
  if (targets.length === 0) return [];
  const elysia = { GET: pathRow(scenarios, "path-elysia", "GET"), POST: pathRow(scenarios, "path-elysia", "POST") };
  const out = [`## Whole path (${report.settings.headlineConnections} connections, Bearer token)`, ""];
  out.push(
    "Each baseline gateway with a users service of its own (`baselines/users-memory.ts`: grpc-js, users in a Map); " +
      "this system as `bun run dev` ships it (gateway → users service with its SQLite store, logging at the default level, " +
      "every line printed by the supervisor: the bench process, `dev-supervisor` below) and through the shipped " +
      `Envoy (dev rendering, nothing switched off). GET /users/{id} and POST /users/ of every path interleaved, medians of ${report.settings.pathRepeats ?? report.settings.repeats}. ` +
      "CPU: user + system time per request of every process on the path (wrk excluded), from /proc; " +
      "per core: requests per CPU-second of the whole path against the Elysia path's (steadier than req/s when other work shares the cores).",
    "",
    "| path | GET req/s | GET vs Elysia | GET p99 ms | POST req/s | POST vs Elysia | POST p99 ms | CPU µs/req GET (sum) | CPU µs/req POST (sum) | per core vs Elysia GET / POST |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of targets) {
    const get = pathRow(scenarios, t, "GET");
    const post = pathRow(scenarios, t, "POST");
    const x = (s: ScenarioResult | undefined, base: ScenarioResult | undefined) => {
      const r = ratio(s?.rps, base?.rps);
      return r === null ? "–" : `${fmt(r, 2)}x`;
    };
    out.push(
      `| ${PATH_TARGETS[t]} | ${get ? fmt(get.rps) : "–"} | ${x(get, elysia.GET)} | ${get ? fmt(get.latencyMs.p99, 1) : "–"} | ${post ? fmt(post.rps) : "–"} | ${x(post, elysia.POST)} | ${post ? fmt(post.latencyMs.p99, 1) : "–"} | ${cpuSum(get) ?? "–"} | ${cpuSum(post) ?? "–"} | ${perCore(get, elysia.GET)} / ${perCore(post, elysia.POST)} |`,
    );
  }
  out.push("", "### CPU and RSS per process on each path", "");
  out.push(
    "| path | process | CPU µs/req GET | CPU µs/req POST | of it in the kernel, GET / POST | RSS idle MiB | of it file-backed (the executable) | RSS under load MiB |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of targets) {
    const get = pathRow(scenarios, t, "GET");
    const post = pathRow(scenarios, t, "POST");
    const processes = [...new Set([...Object.keys(get?.rssMiB ?? {}), ...Object.keys(post?.rssMiB ?? {})])];
    for (const p of processes) {
      const load = Math.max(get?.rssMiB[p] ?? 0, post?.rssMiB[p] ?? 0);
      const idle = report.idleRssMiB?.[p];
      const file = report.idleFileMiB?.[p];
      const kernel = `${get?.kernelUsPerRequest?.[p] ?? "–"} / ${post?.kernelUsPerRequest?.[p] ?? "–"}`;
      out.push(
        `| ${t} | ${p} | ${get?.cpuUsPerRequest[p] ?? "–"} | ${post?.cpuUsPerRequest[p] ?? "–"} | ${kernel} | ${idle === undefined ? "–" : fmt(idle)} | ${file === undefined ? "–" : fmt(file)} | ${fmt(load)} |`,
      );
    }
  }
  out.push("", `Per-process detail: GET ${cpuText(elysia.GET)} (Elysia path, for scale).`, "");
  return out;
}

export function edgeSection(report: BenchReport): string[] {
  const rows = report.scenarios.filter((s) => s.group === "edge");
  if (rows.length === 0) return [];
  const find = (id: string, method: string) =>
    rows.find((s) => s.target === `envoy-${id}` && s.name.startsWith(method));
  const shipped = { GET: find("shipped", "GET"), POST: find("shipped", "POST") };
  const envoyCpu = (s: ScenarioResult | undefined) => (s ? s.cpuUsPerRequest[s.target] : undefined);
  const delta = (s: ScenarioResult | undefined, base: ScenarioResult | undefined) => {
    const a = envoyCpu(s);
    const b = envoyCpu(base);
    return a === undefined || b === undefined || s === base ? "" : ` (${a - b >= 0 ? "+" : ""}${a - b})`;
  };
  const out = [`## Edge cost per Envoy filter`, ""];
  out.push(
    "One Envoy per variant of the shipped dev rendering (envoy/config.ts via harness's localEdgeOptions), each in front of " +
      "the same gateway replicas, GET and POST of every variant interleaved. Envoy's CPU per request is the figure to read " +
      "(the gateways and the users service dominate req/s); the change from the shipped one is in brackets.",
    "",
    "| variant | GET req/s | POST req/s | Envoy CPU µs/req GET | Envoy CPU µs/req POST | upstream connections, GET runs |",
    "|---|---:|---:|---:|---:|---|",
  );
  for (const v of ENVOY_VARIANTS) {
    const get = find(v.id, "GET");
    const post = find(v.id, "POST");
    if (!get && !post) continue;
    out.push(
      `| ${v.label} | ${get ? fmt(get.rps) : "–"} | ${post ? fmt(post.rps) : "–"} | ${envoyCpu(get) ?? "–"}${delta(get, shipped.GET)} | ${envoyCpu(post) ?? "–"}${delta(post, shipped.POST)} | ${get?.notes ?? "–"} |`,
    );
  }
  const saturated = rows.find((s) => s.target === SATURATED_EDGE);
  const floor = rows.find((s) => s.target === EDGE_FLOOR);
  if (saturated)
    out.push(
      "",
      `The shipped rendering in front of a bare Bun.serve (nothing slow behind it, so each wake-up serves many requests): ` +
        `${fmt(saturated.rps)} req/s, Envoy ${envoyCpu(saturated) ?? "–"} µs per request` +
        (floor
          ? `; the minimal one there (Envoy's own floor on this machine): ${fmt(floor.rps)} req/s, ${envoyCpu(floor) ?? "–"} µs per request.`
          : "."),
    );
  out.push("");
  return out;
}

export function profileSection(title: string, what: string, p: ProfileSummary & { scenario: string }): string[] {
  const out = [`## ${title} CPU profile (${p.scenario})`, ""];
  out.push(`\`bun --cpu-prof\` on ${what} under load; ${fmt(p.totalMs)} ms sampled, ${p.busyPct}% not idle.`, "");
  out.push(`| self time by package | ms | % |`, `|---|---:|---:|`);
  for (const x of p.byPackage) out.push(`| ${x.name} | ${fmt(x.selfMs)} | ${x.selfPct} |`);
  out.push("", `| top self-time functions | where | ms | % |`, `|---|---|---:|---:|`);
  for (const f of p.topFunctions) out.push(`| \`${f.name}\` | ${f.where} | ${fmt(f.selfMs)} | ${f.selfPct} |`);
  out.push("");
  return out;
}
