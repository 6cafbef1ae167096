import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "@jridgewell/sourcemap-codec";
import { BUNDLE_ENTRY, buildBundle, bundleIsFresh, freshBundle } from "./bundle";

const work = mkdtempSync(join(tmpdir(), "bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A workspace whose entry prints its own folder and a nested module's, as a component finds its files. */
function workspace(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "src", "deep", "er"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, type: "module" }));
  // import.meta.dirname is Node's name for the same folder: left to the runtime, it names dist/.
  writeFileSync(
    join(dir, "src", "deep", "er", "where.ts"),
    "export const where = import.meta.dir;\nexport const runtime = import.meta.dirname;\n",
  );
  writeFileSync(
    join(dir, "src", "main.ts"),
    'import { runtime, where } from "./deep/er/where";\nconsole.log(JSON.stringify([import.meta.dir, where, runtime]));\n',
  );
  return dir;
}

/** What the workspace's entry prints from its bundle: its folder, the nested module's, and the runtime's dist/. */
const folders = (dir: string) => [join(dir, "src"), join(dir, "src", "deep", "er"), join(dir, "dist")];

const run = (bundle: string) => {
  const result = Bun.spawnSync([process.execPath, bundle], { stdout: "pipe", stderr: "pipe" });
  expect(result.stderr.toString()).toBe("");
  return JSON.parse(result.stdout.toString()) as string[];
};

describe("a component's bundle", () => {
  test("runs its modules from one file, each still finding files beside its source", async () => {
    const dir = workspace("paths");
    const bundle = await buildBundle(dir);
    expect(bundle).toBe(join(dir, BUNDLE_ENTRY));
    expect(run(bundle)).toEqual(folders(dir));
    // Nothing of the build is left beside it: the map (not linked from it) and the manifest.
    expect(readdirSync(join(dir, "dist")).sort()).toEqual(["main.inputs.json", "main.js", "main.js.map"]);
    expect(await Bun.file(bundle).text()).not.toContain("sourceMappingURL");
  });

  test("a stack trace names the sources' files and lines, and a package's frames the bundle's", async () => {
    const dir = workspace("traces");
    const lib = join(dir, "node_modules", "thrower");
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, "package.json"), JSON.stringify({ name: "thrower", type: "module", main: "index.js" }));
    writeFileSync(
      join(lib, "index.js"),
      'export function call(f) {\n  return f(1);\n}\nexport function thrown() {\n  throw new Error("boom");\n}\n',
    );
    writeFileSync(
      join(dir, "src", "deep", "er", "boom.ts"),
      'import { thrown } from "thrower";\nexport function boom(): never {\n  throw new Error("boom");\n}\n' +
        "export function viaPackage(n: number): number {\n  if (n > 0) thrown();\n  return n;\n}\n",
    );
    writeFileSync(
      join(dir, "src", "main.ts"),
      'import { call } from "thrower";\nimport { boom, viaPackage } from "./deep/er/boom";\n' +
        "try {\n  call(viaPackage);\n} catch (error) {\n  console.log((error as Error).stack);\n}\nboom();\n",
    );
    const bundle = await buildBundle(dir);
    const result = Bun.spawnSync([process.execPath, bundle], { stdout: "pipe", stderr: "pipe" });
    expect(result.exitCode).toBe(1);
    const boom = join(dir, "src", "deep", "er", "boom.ts");
    expect(result.stderr.toString()).toContain(`at boom (${boom}:3:`);
    // The package's frame: its name at the bundle's line, under the line that names its file there.
    const viaPackage = result.stdout.toString();
    expect(viaPackage).toContain(`at viaPackage (${boom}:6:`);
    const frame = new RegExp(`at thrown \\(${bundle.replaceAll(".", "\\.")}:(\\d+):`).exec(viaPackage);
    expect(frame).not.toBeNull();
    const lines = (await Bun.file(bundle).text()).split("\n").slice(0, Number(frame![1]));
    expect(lines.findLast((line) => line.startsWith("// "))).toEndWith("/node_modules/thrower/index.js");

    // The map: the sources' paths, the mappings of the workspace's own and no text.
    const map = await Bun.file(join(dir, "dist", "main.js.map")).json();
    expect(map.sources).toEqual(["../node_modules/thrower/index.js", "../src/deep/er/boom.ts", "../src/main.ts"]);
    const used = new Set(decode(map.mappings).flatMap((line) => line.flatMap((segment) => segment[1] ?? [])));
    expect([...used].sort()).toEqual([1, 2]);
    expect(map.sourcesContent).toEqual([null, null, null]);
  });

  test("is fresh until a file it came from changes, or a file is gone", async () => {
    const dir = workspace("freshness");
    expect(bundleIsFresh(dir)).toBe(false);
    await buildBundle(dir);
    expect(bundleIsFresh(dir)).toBe(true);

    const nested = join(dir, "src", "deep", "er", "where.ts");
    utimesSync(nested, new Date(), new Date(Date.now() + 5_000));
    expect(bundleIsFresh(dir)).toBe(false);
    await buildBundle(dir);
    expect(bundleIsFresh(dir)).toBe(true);

    // The workspace's manifest is an input too (a dependency added), though no module imports it.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "freshness", type: "module", private: true }));
    expect(bundleIsFresh(dir)).toBe(false);
    await buildBundle(dir);

    rmSync(nested);
    expect(bundleIsFresh(dir)).toBe(false);
  });

  test("built by another bun is not fresh", async () => {
    const dir = workspace("other-bun");
    await buildBundle(dir);
    const manifest = join(dir, "dist", "main.inputs.json");
    const text = await Bun.file(manifest).text();
    writeFileSync(manifest, text.replace(Bun.revision, "0".repeat(40)));
    expect(bundleIsFresh(dir)).toBe(false);
  });

  test("freshBundle builds a stale bundle once per process, and reuses a fresh one", async () => {
    const dir = workspace("once");
    const [first, second] = await Promise.all([freshBundle(dir), freshBundle(dir)]);
    expect(first).toBe(second);
    expect(run(first)).toEqual(folders(dir));
    expect(bundleIsFresh(dir)).toBe(true);
  });

  test("a source that does not build fails with the bundler's message, leaving the last bundle in place", async () => {
    const dir = workspace("broken");
    const bundle = await buildBundle(dir);
    writeFileSync(join(dir, "src", "main.ts"), 'import { nothing } from "./missing";\nconsole.log(nothing);\n');
    await expect(buildBundle(dir)).rejects.toThrow(/bundling .*broken failed:[\s\S]*missing/);
    expect(run(bundle)).toEqual(folders(dir));
    expect(readdirSync(join(dir, "dist")).sort()).toEqual(["main.inputs.json", "main.js", "main.js.map"]);
  });
});
