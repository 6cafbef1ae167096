// The import boundaries of tests/boundaries.ts (explained in docs/architecture.md),
// checked on every .ts/.tsx file in the repository, type-only imports included.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { KNOWN_VIOLATIONS, PARTS, partOf, violation } from "./boundaries";

const ROOT = resolve(import.meta.dir, "..");

/** Our workspace packages by name (@platform/kit → services/kit), read from their package.json. */
function workspacePackages(): Map<string, string> {
  const packages = new Map<string, string>();
  for (const file of new Bun.Glob("**/package.json").scanSync({ cwd: ROOT })) {
    if (file.includes("node_modules") || file.startsWith(".")) continue;
    const { name } = JSON.parse(readFileSync(join(ROOT, file), "utf8")) as { name?: string };
    if (name && dirname(file) !== ".") packages.set(name, dirname(file));
  }
  return packages;
}

/** A package subpath through its package.json `exports` (./testing → ./src/testing.ts), or as written. */
function exported(folder: string, subpath: string): string {
  const { exports } = JSON.parse(readFileSync(join(ROOT, folder, "package.json"), "utf8")) as {
    exports?: Record<string, string> | string;
  };
  const entry = typeof exports === "object" ? exports[`.${subpath}`] : undefined;
  return typeof entry === "string" ? join(folder, entry) : join(folder, subpath);
}

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const file of new Bun.Glob("**/*.{ts,tsx}").scanSync({ cwd: ROOT })) {
    if (file.split("/").some((segment) => segment === "node_modules" || segment.startsWith("."))) continue;
    files.push(file);
  }
  return files.sort();
}

/** Every module specifier a file names: imports, re-exports, type imports, import() and require(). */
function specifiers(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true)
    .importedFiles.map((entry) => entry.fileName);
}

/** The specifiers a file imports only as types (`import type`, `export type … from`): erased from its output. */
function typeOnlySpecifiers(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest);
  const typeOnly = new Set<string>();
  const value = new Set<string>();
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let erased = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      erased = statement.importClause?.isTypeOnly === true;
    } else if (ts.isExportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      erased = statement.isTypeOnly;
    }
    if (specifier && ts.isStringLiteral(specifier)) (erased ? typeOnly : value).add(specifier.text);
  }
  return new Set([...typeOnly].filter((s) => !value.has(s)));
}

/** The repository-relative path a specifier points into, or undefined for an outside package. */
function target(file: string, specifier: string, packages: Map<string, string>): string | undefined {
  if (specifier.startsWith(".")) return relative(ROOT, resolve(ROOT, dirname(file), specifier));
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  const folder = packages.get(name);
  return folder === undefined ? undefined : exported(folder, specifier.slice(name.length));
}

/** Relative specifiers name files without their extension; the rules compare whole paths. */
function withExtension(path: string): string {
  for (const candidate of [path, `${path}.ts`, `${path}.tsx`])
    if (existsSync(join(ROOT, candidate)) && candidate.includes(".")) return candidate;
  return path;
}

describe("import boundaries (tests/boundaries.ts)", () => {
  const packages = workspacePackages();
  const files = sourceFiles();

  test("the scan sees the parts it checks", () => {
    expect(files.length).toBeGreaterThan(100);
    for (const folder of ["proto", "services/kit", "services/users", "gateway", "envoy", "client", "tests"])
      expect(files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
    expect(packages.get("@platform/kit")).toBe("services/kit");
    expect(packages.get("@platform/proto")).toBe("proto");
  });

  test("no file imports across a boundary", () => {
    const found: string[] = [];
    const known = new Set(KNOWN_VIOLATIONS.map((v) => `${v.file} ${v.specifier}`));
    const seen = new Set<string>();
    for (const file of files) {
      const typeOnly = partOf(file)?.mayImportTypesOf ? typeOnlySpecifiers(file) : new Set<string>();
      for (const specifier of specifiers(file)) {
        const path = target(file, specifier, packages);
        if (path === undefined) continue;
        const why = violation(file, withExtension(path), typeOnly.has(specifier));
        if (!why) continue;
        if (known.has(`${file} ${specifier}`)) seen.add(`${file} ${specifier}`);
        else found.push(`${file} imports "${specifier}" (${why})`);
      }
    }
    expect(found).toEqual([]);
    const stale = [...known]
      .filter((entry) => !seen.has(entry))
      .map((entry) => `${entry}: fixed, delete it from KNOWN_VIOLATIONS`);
    expect(stale).toEqual([]);
  });
});

describe("the rules themselves", () => {
  test.each([
    ["gateway/src/app.ts", "services/users/src/server.ts"],
    ["gateway/src/testing.ts", "services/jobs/src/server.ts"],
    ["services/users/src/main.ts", "services/jobs/src/domain/job.ts"],
    ["services/pipelines/src/x.ts", "gateway/src/config.ts"],
    ["services/kit/src/index.ts", "services/users/src/domain/user.ts"],
    ["proto/src/index.ts", "services/kit/src/index.ts"],
    ["envoy/config.ts", "gateway/src/http/problem.ts"],
    ["envoy/settings.ts", "gateway/src/config.ts"],
    ["bench/run.ts", "tests/support/system.ts"],
    ["harness/system.ts", "tests/support/ports.ts"],
    ["worker/src/main.ts", "services/jobs/src/jobService.ts"],
    ["worker/src/main.ts", "services/kit/src/index.ts"],
    ["worker/src/worker.ts", "proto/src/index.ts"],
    ["client/src/api.ts", "gateway/src/app.ts"],
    ["client/src/api.ts", "gateway/src/modules/jobs/index.ts"],
    ["client/src/cli/run.ts", "harness/src/index.ts"],
    ["gateway/src/app.ts", "client/src/index.ts"],
    ["gateway/console/src/api.ts", "client/src/cli/run.ts"],
    ["gateway/console/src/api.ts", "client/src/api.ts"],
    ["gateway/console/src/api.ts", "gateway/src/app.ts"],
    ["gateway/console/src/api.ts", "services/kit/src/index.ts"],
  ])("%s may not import %s", (from, to) => {
    expect(violation(from, to)).toBeString();
  });

  test.each([
    ["gateway/src/app.ts", "services/kit/src/index.ts"],
    ["gateway/src/app.ts", "proto/src/index.ts"],
    ["services/jobs/src/server.ts", "services/jobs/src/domain/job.ts"],
    ["envoy/config.ts", "gateway/src/edgeContract.ts"],
    ["bench/run.ts", "harness/system.ts"],
    ["tests/e2e/x.test.ts", "services/users/src/server.ts"],
    ["worker/src/main.ts", "proto/src/jobs.ts"],
    ["worker/src/worker.ts", "services/kit/src/client.ts"],
    ["worker/src/main.ts", "proto/src/rules.ts"],
    ["client/src/watch.ts", "proto/src/enums.ts"],
    ["tests/cli/cli.test.ts", "client/src/index.ts"],
    ["gateway/console/src/api.ts", "client/src/index.ts"],
    ["gateway/console/src/pages/Jobs.tsx", "proto/src/enums.ts"],
  ])("%s may import %s", (from, to) => {
    expect(violation(from, to)).toBeUndefined();
  });

  test("the client may import the gateway's App type, and only as a type", () => {
    expect(violation("client/src/api.ts", "gateway/src/app.ts", true)).toBeUndefined();
    expect(violation("client/src/api.ts", "gateway/src/app.ts", false)).toContain("import type");
    expect(violation("client/src/api.ts", "gateway/src/config.ts", true)).toBeString();
  });

  test("the worker may import the kit's and the contracts' indexes only as types", () => {
    for (const index of ["services/kit/src/index.ts", "proto/src/index.ts"]) {
      expect(violation("worker/src/acks.ts", index, true)).toBeUndefined();
      expect(violation("worker/src/acks.ts", index, false)).toContain("import type");
    }
  });

  test("every part is named once", () => {
    expect(new Set(PARTS.map((p) => p.folder)).size).toBe(PARTS.length);
  });
});
