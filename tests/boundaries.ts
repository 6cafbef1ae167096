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
  /**
   * Single files it may import types from, and nothing else (`import type` only): of a part it
   * may not import otherwise, or of one it may, when loading that file would cost what it must not.
   */
  mayImportTypesOf?: readonly string[];
  /** Parts it may never import, even under "*". */
  never?: readonly string[];
  why: string;
}

export const CONTRACTS = "proto";
export const KIT = "services/kit";
export const EDGE_CONTRACT = "gateway/src/edgeContract.ts";
/** The kit's and the contracts' main entries, which load all of them (servers, databases, every contract). */
export const KIT_INDEX = "services/kit/src/index.ts";
export const CONTRACTS_INDEX = "proto/src/index.ts";
export const HARNESS = "harness";
/** The gateway's `App` type, which the typed client (client/) is generated from. */
export const GATEWAY_APP = "gateway/src/app.ts";
/** The typed client's browser-safe main entry (`@platform/client`; not `@platform/client/cli`). */
export const CLIENT_ENTRY = "client/src/index.ts";
export const CONSOLE = "gateway/console";

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
  {
    folder: "worker",
    mayImport: [KIT, CONTRACTS],
    mayImportTypesOf: [KIT_INDEX, CONTRACTS_INDEX],
    why: "the worker is a client of the jobs contract, nothing more: it loads kit's entries one by one (@platform/kit/client, /logger...) and the jobs contract alone (@platform/proto/jobs), not the indexes that load servers, databases and every contract into its pod",
  },
  {
    folder: CONSOLE,
    mayImport: [CONTRACTS],
    mayImportFiles: [CLIENT_ENTRY],
    why: "the console is a browser program: it calls the API through the typed client's browser-safe entry and shares the contracts' constants, nothing of the gateway's server code",
  },
  {
    folder: "gateway",
    mayImport: [KIT, CONTRACTS, CONSOLE],
    why: "the gateway knows services only by their contracts (and serves its console, whose pure pieces its tests import)",
  },
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
