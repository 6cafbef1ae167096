// Summarises a V8/JSC-style .cpuprofile (what `bun --cpu-prof` writes): self time
// per function and per package, from the samples and their time deltas; and the
// run that produces them (a users service and a gateway replica under load).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startExtraGateway, startExtraService, type BenchSystem } from "./system";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples spent outside JavaScript idle. */
  busyPct: number;
  topFunctions: SelfTime[];
  byPackage: { name: string; selfMs: number; selfPct: number }[];
}

const pathOf = (url: string) => (url.startsWith("file://") ? fileURLToPath(url) : url);

/**
 * "…/node_modules/.bun/elysia@1.4.30/node_modules/elysia/dist/x.mjs" → "elysia"; repo files → their top folder.
 * A frame's URL or file (a file: URL where bun names a source through a bundle's map).
 */
export function packageOf(frameUrl: string): string {
  const url = pathOf(frameUrl);
  if (!url) return "(native / runtime)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const repo = /\/(gateway|services|proto|scripts)\/(src\/)?([^/]+)/.exec(url);
  if (repo) return `${repo[1]}/${repo[3]}`;
  if (url.startsWith("node:") || url.startsWith("bun:") || url.includes("[native code]") || !url.includes("/"))
    return `(builtin ${url.split("/")[0]})`;
  return url;
}

/**
 * The file each line of a bundle came from. The processes run bundles whose map covers only their own
 * sources (kit's bundle.ts): bun names a package's frame by the bundle's line, and the bundle opens
 * each module with a `// <path>` line.
 */
export class BundleModules {
  private readonly starts: { line: number; path: string }[] = [];

  constructor(text: string) {
    text.split("\n").forEach((line, i) => {
      if (MODULE_HEADER.test(line)) this.starts.push({ line: i, path: line.slice(3) });
    });
  }

  /** The module holding the bundle's 0-based `line`; undefined before the first. */
  at(line: number): string | undefined {
    let found: string | undefined;
    for (const start of this.starts) {
      if (start.line > line) break;
      found = start.path;
    }
    return found;
  }
}

const MODULE_HEADER = /^\/\/ \S+\.(?:[cm]?[jt]s|json)$/;
const BUNDLE = /\/dist\/main\.js$/;

export function summariseProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const bundles = new Map<string, BundleModules | undefined>();
  /** For a package's frame in a bundle, the module the bundle took it from. */
  const moduleIn = (file: string, line: number) => {
    if (!BUNDLE.test(file)) return undefined;
    if (!bundles.has(file))
      bundles.set(file, existsSync(file) ? new BundleModules(readFileSync(file, "utf8")) : undefined);
    return bundles.get(file)?.at(line);
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    // timeDeltas[i] is the gap before sample i; charge it to the sample's node.
    samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0)));
  } else {
    const interval =
      (profile.endTime - profile.startTime) /
      Math.max(
        1,
        profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0),
      );
    for (const n of profile.nodes) self.set(n.id, (n.hitCount ?? 0) * interval);
  }
  const totalUs = [...self.values()].reduce((s, v) => s + v, 0) || 1;
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || "(anonymous)";
    if (name === "(idle)" || name === "(program)") idleUs += name === "(idle)" ? us : 0;
    const url = pathOf(frame.url);
    const module = moduleIn(url, frame.lineNumber);
    const source = module ?? url;
    const file = source.split("/").slice(-2).join("/");
    const where = frame.url ? `${file}:${frame.lineNumber + 1}${module ? " (bundle)" : ""}` : "";
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    // The profiler's own entries ((root), (program), (idle)) by name; an anonymous function by where it is.
    const pkg = name.startsWith("(") && name !== "(anonymous)" ? name : packageOf(source);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / totalUs) * 1000) / 10;
  const msOf = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: msOf(totalUs),
    busyPct: Math.round((1 - idleUs / totalUs) * 1000) / 10,
    topFunctions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: msOf(f.us), selfPct: pct(f.us) })),
    byPackage: [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: msOf(us), selfPct: pct(us) })),
  };
}

type Profiled = ProfileSummary & { file: string };

/**
 * One more users service (on the same SQLite data) and one more gateway replica
 * in front of it, both under `bun --cpu-prof`, loaded by `load`; the summary of
 * each profile (the .cpuprofile files kept in `keepDir`), undefined where bun wrote none.
 */
export async function profilePath(
  system: BenchSystem,
  load: (url: string) => Promise<unknown>,
  keepDir: string,
): Promise<{ gateway?: Profiled; users?: Profiled }> {
  const dirs = {
    gateway: mkdtempSync(join(tmpdir(), "bench-prof-")),
    users: mkdtempSync(join(tmpdir(), "bench-prof-")),
  };
  const flags = (dir: string) => ["--cpu-prof", `--cpu-prof-dir=${dir}`];
  try {
    const users = await startExtraService(system, "users", "users-prof", flags(dirs.users));
    try {
      const gateway = await startExtraGateway(system, "gateway-prof", flags(dirs.gateway), {
        USER_SERVICE_URL: `127.0.0.1:${users.port}`,
      });
      try {
        await load(`http://127.0.0.1:${gateway.port}`);
      } finally {
        await gateway.stop("SIGTERM");
      }
    } finally {
      await users.stop("SIGTERM");
    }
    mkdirSync(keepDir, { recursive: true });
    const keep = (which: "gateway" | "users"): Profiled | undefined => {
      const file = readdirSync(dirs[which]).find((f) => f.endsWith(".cpuprofile"));
      if (!file) return undefined;
      copyFileSync(join(dirs[which], file), join(keepDir, `${which}.cpuprofile`));
      return {
        ...summariseProfile(join(dirs[which], file)),
        file: `bench/results/tmp/${which}.cpuprofile (not committed)`,
      };
    };
    return { gateway: keep("gateway"), users: keep("users") };
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}
