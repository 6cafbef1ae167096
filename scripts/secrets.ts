// The repository's secret scan (detect-secrets, pinned, from PyPI into the
// project venv). `bun scripts/secrets.ts scan` lists findings in tracked files
// that the audited baseline does not know; `bun scripts/secrets.ts baseline`
// rewrites the baseline after a human has looked at every new finding.
import { join } from "node:path";
import { ensurePythonTool, REPO_ROOT } from "@platform/harness";

export const BASELINE = join(REPO_ROOT, ".secrets.baseline");

export function detectSecrets(): string {
  return ensurePythonTool({
    command: "detect-secrets",
    overrideVar: "DETECT_SECRETS_BIN",
    requirement: "detect-secrets==1.5.0",
    allowPath: false,
  });
}

interface Finding {
  filename: string;
  hashed_secret: string;
  type: string;
  line_number: number;
}

/** Runs detect-secrets over `files` (paths relative to the repository root). */
export function scan(files: string[]): Finding[] {
  const result = Bun.spawnSync([detectSecrets(), "scan", ...files], { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`detect-secrets failed: ${result.stderr.toString()}`);
  const report = JSON.parse(result.stdout.toString()) as { results: Record<string, Finding[]> };
  return Object.values(report.results).flat();
}

// Test code is full of made-up passwords and keys. There, only the detectors that
// recognise real credential formats (cloud keys, private keys, tokens) count; the
// keyword and entropy heuristics would flag every fixture.
const TEST_CODE = /(^|\/)tests\/|\.test\.ts$|(^|\/)testing\.ts$/;
const HEURISTIC_DETECTORS = new Set(["Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String"]);

/** Findings the audited baseline does not list (matched by file and secret hash, not line). */
export async function unauditedFindings(files = trackedFiles()): Promise<Finding[]> {
  const baseline = (await Bun.file(BASELINE).json()) as { results: Record<string, Finding[]> };
  const known = new Set(
    Object.values(baseline.results)
      .flat()
      .map((f) => `${f.filename}\0${f.hashed_secret}`),
  );
  return scan(files)
    .filter((f) => !(TEST_CODE.test(f.filename) && HEURISTIC_DETECTORS.has(f.type)))
    .filter((f) => !known.has(`${f.filename}\0${f.hashed_secret}`));
}

export function trackedFiles(): string[] {
  const result = Bun.spawnSync(["git", "ls-files", "-z"], { cwd: REPO_ROOT, stdout: "pipe" });
  return result.stdout
    .toString()
    .split("\0")
    .filter((f) => f && f !== ".secrets.baseline" && !f.endsWith("bun.lock"));
}

if (import.meta.main) {
  const mode = process.argv[2];
  if (mode === "baseline") {
    const result = Bun.spawnSync([detectSecrets(), "scan", ...trackedFiles().filter((f) => !TEST_CODE.test(f))], {
      cwd: REPO_ROOT,
      stdout: "pipe",
      stderr: "inherit",
    });
    await Bun.write(BASELINE, result.stdout);
    console.log(`wrote ${BASELINE}: audit every entry in it before committing`);
  } else if (mode === "scan") {
    const findings = await unauditedFindings();
    for (const f of findings) console.error(`${f.filename}:${f.line_number}: ${f.type}`);
    console.log(findings.length === 0 ? "no unaudited secrets" : `${findings.length} unaudited finding(s)`);
    process.exit(findings.length === 0 ? 0 : 1);
  } else {
    console.error("usage: bun scripts/secrets.ts scan|baseline");
    process.exit(2);
  }
}
