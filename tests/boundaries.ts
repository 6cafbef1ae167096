// The parts of the repository and which parts each may import: the one table
// tests/boundaries.test.ts checks and docs/architecture.md explains. A part is a
// folder; the first rule whose folder holds a file governs it. Imports of
// packages from outside the repository are always allowed.

export interface Part {
  /** Folder relative to the repository root, e.g. "services/users". */
  folder: string;
  /** Parts (folders) this part may import besides itself; "*" means any. */
  mayImport: readonly string[] | "*";
  /** Single files of other parts it may import, e.g. the edge's shared constants. */
  mayImportFiles?: readonly string[];
  /** Single files of other parts it may import types from, and nothing else (`import type` only). */
  mayImportTypesOf?: readonly string[];
  /** Parts it may never import, even under "*". */
  never?: readonly string[];
  why: string;
}

export const CONTRACTS = "proto";
export const KIT = "services/kit";
export const EDGE_CONTRACT = "gateway/src/edgeContract.ts";
export const HARNESS = "harness";
/** The gateway's `App` type, which the typed client (client/) is generated from. */
export const GATEWAY_APP = "gateway/src/app.ts";

const isTestFile = (path: string) => /\.test\.tsx?$/.test(path);
/** A part's published test fixture: `<part>/src/testing.ts` (package export `@platform/<part>/testing`). */
const isTestFixture = (path: string) => /(^|\/)src\/testing\.ts$/.test(path);

export const PARTS: readonly Part[] = [
  { folder: CONTRACTS, mayImport: [], why: "the contracts (@platform/proto) depend on nothing of ours" },
  { folder: KIT, mayImport: [CONTRACTS], why: "the shared runtime knows no service and no gateway" },
  { folder: "services/users", mayImport: [KIT, CONTRACTS], why: "a service knows the others only by their contracts" },
  { folder: "services/jobs", mayImport: [KIT, CONTRACTS], why: "a service knows the others only by their contracts" },
  {
    folder: "services/pipelines",
    mayImport: [KIT, CONTRACTS],
    why: "a service knows the others only by their contracts",
  },
  { folder: "worker", mayImport: [KIT, CONTRACTS], why: "the worker is a client of the jobs contract, nothing more" },
  { folder: "gateway", mayImport: [KIT, CONTRACTS], why: "the gateway knows services only by their contracts" },
  {
    folder: "envoy",
    mayImport: [KIT, CONTRACTS],
    mayImportFiles: [EDGE_CONTRACT],
    why: "the edge shares only the constants it must agree on with the gateway",
  },
  {
    folder: "client",
    mayImport: [CONTRACTS],
    mayImportTypesOf: [GATEWAY_APP],
    why: "the typed client knows the gateway only by the type of its routes (`import type`), so no gateway code reaches a bundle",
  },
  { folder: HARNESS, mayImport: "*", never: ["tests"], why: "the launcher serves tests, bench and dev alike" },
  { folder: "bench", mayImport: "*", never: ["tests"], why: "the benchmark does not depend on the test suite" },
  { folder: "scripts", mayImport: "*", never: ["tests"], why: "tools do not depend on the test suite" },
  { folder: "tests", mayImport: "*", why: "whole-system tests may reach anything" },
];

/**
 * Imports that break a rule today and are being moved (issue 13). Each must still
 * occur: the test fails on a stale entry, so fixing one means deleting it here.
 */
export const KNOWN_VIOLATIONS: readonly { file: string; specifier: string; until: string }[] = [];

/** The part that governs a repository-relative path, if any. */
export function partOf(path: string): Part | undefined {
  return PARTS.find((part) => path === part.folder || path.startsWith(`${part.folder}/`));
}

/**
 * Why `from` may not import `target` (both repository-relative), or undefined when it may.
 * `typeOnly`: the import brings in types alone (`import type`, erased from the output).
 */
export function violation(from: string, target: string, typeOnly = false): string | undefined {
  const source = partOf(from);
  if (!source) return undefined;
  const destination = partOf(target);
  if (destination === source || source.mayImportFiles?.includes(target)) return undefined;
  if (source.mayImportTypesOf?.includes(target))
    return typeOnly
      ? undefined
      : `${source.folder} may import only types from ${target} (\`import type\`): ${source.why}`;
  // A part's own tests may start what they talk to: another part's published test
  // fixture (its src/testing.ts) or the launcher. Its code may not.
  if (isTestFile(from) && (isTestFixture(target) || partOf(target)?.folder === HARNESS)) return undefined;
  const destinationName = destination?.folder ?? target.split("/")[0]!;
  if (source.never?.includes(destinationName))
    return `${source.folder} never imports ${destinationName}: ${source.why}`;
  if (source.mayImport === "*" || (destination && source.mayImport.includes(destination.folder))) return undefined;
  return `${source.folder} may import only ${[...source.mayImport, ...(source.mayImportFiles ?? [])].join(", ") || "external packages"}: ${source.why}`;
}
