// A component as it runs: its sources and dependencies bundled into one file,
// <workspace>/dist/main.js (Bun's bundler, target bun), its source map beside it.
// It starts on about 30 % less CPU than the sources (no resolving and transpiling
// of ~470 modules) and idles a few MiB lighter (k8s/README.md, "What each image
// runs: its bundle"). The images build it in their build stage; the launcher
// (@platform/harness: `bun run dev`, the whole-system tests, the bench) builds it
// when the files it came from changed, and runs it.
//
//   bun services/kit/src/bundle.ts <workspace>...   builds each workspace's bundle
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { decode, encode } from "@jridgewell/sourcemap-codec";
import type { BunPlugin } from "bun";

/** A component's source entry and its bundle, relative to its workspace. */
export const SOURCE_ENTRY = "src/main.ts";
export const BUNDLE_ENTRY = "dist/main.js";
const MANIFEST = "dist/main.inputs.json";

/** Every file a bundle was built from, with its mtime and size then, and the bun that built it. */
interface Manifest {
  bun: string;
  inputs: [path: string, mtimeMs: number, size: number][];
}

/**
 * A bundle runs every module from one file, so `import.meta.dir` would be dist/ for all of them: each
 * source's own folder is written in instead (what Bun already does for `__dirname` in the CommonJS
 * packages it bundles). So a bundle runs in the tree it was built in: the repository, or an image's /app.
 */
const ownDirectories: BunPlugin = {
  name: "import.meta.dir of each source",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await Bun.file(path).text();
      return { contents: text.replace(/\bimport\.meta\.dir\b/g, JSON.stringify(dirname(path))), loader: "ts" };
    });
  },
};

/** Files whose change changes a bundle without being one of its modules: the lockfile, the manifests, this build. */
function buildInputs(workspace: string): string[] {
  const root = repositoryRoot(workspace);
  return [
    import.meta.path,
    join(root, "bun.lock"),
    join(root, "package.json"),
    join(root, "bunfig.toml"),
    join(workspace, "package.json"),
  ].filter((path) => existsSync(path));
}

/** The folder with bun.lock above `workspace` (the repository, or an image's /app). */
function repositoryRoot(workspace: string): string {
  for (let dir = workspace; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "bun.lock"))) return dir;
    if (dirname(dir) === dir) return workspace;
  }
}

const stamp = (path: string): Manifest["inputs"][number] => {
  const stats = statSync(path);
  return [path, stats.mtimeMs, stats.size];
};

/** Whether `workspace`'s bundle exists and was built by this bun from its files as they are now. */
export function bundleIsFresh(workspace: string): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(workspace, MANIFEST), "utf8")) as Manifest;
  } catch {
    return false;
  }
  if (manifest.bun !== Bun.revision || !existsSync(join(workspace, BUNDLE_ENTRY))) return false;
  try {
    return manifest.inputs.every(([path, mtimeMs, size]) => {
      const [, now, nowSize] = stamp(path);
      return now === mtimeMs && nowSize === size;
    });
  } catch {
    return false; // an input is gone
  }
}

/**
 * Builds `workspace`'s bundle (BUNDLE_ENTRY, its map and manifest) from SOURCE_ENTRY and returns the
 * bundle's path. Written beside and renamed into place, so a process starting the old bundle meanwhile
 * (another test run, another launcher) reads a whole file.
 */
export async function buildBundle(workspace: string): Promise<string> {
  const dir = resolve(workspace);
  mkdirSync(join(dir, "dist"), { recursive: true });
  // Beside dist/, at its depth: the map's paths to the sources hold once moved.
  const staging = mkdtempSync(join(dir, ".dist-"));
  try {
    const result = await Bun.build({
      entrypoints: [join(dir, SOURCE_ENTRY)],
      outdir: staging,
      target: "bun",
      format: "esm",
      // Beside the bundle, not linked from it: bun finds main.js.map when it maps a stack (a stack trace,
      // call sites, a profile names the sources). Only the workspace's own sources (ownMappings).
      sourcemap: "external",
      metafile: true,
      plugins: [ownDirectories],
      throw: false,
    });
    if (!result.success) {
      throw new Error(`bundling ${dir} failed:\n${result.logs.map((log) => String(log)).join("\n")}`);
    }
    const mapPath = join(staging, "main.js.map");
    writeFileSync(mapPath, JSON.stringify(ownMappings(JSON.parse(readFileSync(mapPath, "utf8")))));
    const modules = Object.keys(result.metafile?.inputs ?? {}).map((path) => resolve(path));
    const manifest: Manifest = { bun: Bun.revision, inputs: [...modules, ...buildInputs(dir)].map(stamp) };
    writeFileSync(join(staging, "main.inputs.json"), JSON.stringify(manifest));
    // The map before the code it maps, the manifest last: fresh only once both are in place.
    for (const file of ["main.js.map", "main.js", "main.inputs.json"])
      renameSync(join(staging, file), join(dir, "dist", file));
    return join(dir, BUNDLE_ENTRY);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * What the map keeps: the mappings of the workspace's own sources (the repository's), none of the
 * packages' and no source text. Every process reads the map at start (pino asks for its caller's
 * call sites, which bun maps through it) and holds it for its life: the whole map was a gateway's
 * 5.9 MB (~8 MiB of RSS in each process), this one ~0.3 MB. A frame in a package keeps its function
 * name and the bundle's line, below the `// node_modules/...` line that opens the package's file in
 * the bundle. Bun refuses a map without `sourcesContent`: each text is null.
 */
function ownMappings(map: SourceMap): SourceMap {
  const own = map.sources.map((source) => !source.split("/").includes("node_modules"));
  const lines = decode(map.mappings).map((segments) =>
    segments.filter((segment) => segment.length === 1 || own[segment[1]!]),
  );
  return { ...map, mappings: encode(lines), sourcesContent: map.sources.map(() => null) };
}

interface SourceMap {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  mappings: string;
  names?: string[];
  [key: string]: unknown;
}

const building = new Map<string, Promise<string>>();

/** `workspace`'s bundle, built first unless fresh; once per workspace per process. */
export function freshBundle(workspace: string): Promise<string> {
  const dir = resolve(workspace);
  let bundle = building.get(dir);
  if (!bundle) {
    bundle = bundleIsFresh(dir) ? Promise.resolve(join(dir, BUNDLE_ENTRY)) : buildBundle(dir);
    building.set(dir, bundle);
    bundle.catch(() => building.delete(dir));
  }
  return bundle;
}

if (import.meta.main) {
  const workspaces = process.argv.slice(2);
  if (workspaces.length === 0) {
    console.error("usage: bun services/kit/src/bundle.ts <workspace>...");
    process.exit(2);
  }
  for (const workspace of workspaces) console.log(await buildBundle(workspace));
}
