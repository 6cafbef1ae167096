// Schemathesis (pinned, from PyPI into .tools/venv like Envoy) against a running gateway.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensurePythonTool } from "@platform/harness";

export const SCHEMATHESIS_REQUIREMENT = "schemathesis==4.32.5";
export const CONFIG_FILE = join(import.meta.dir, "schemathesis.toml");

export const schemathesisPath = () =>
  ensurePythonTool({
    command: "schemathesis",
    overrideVar: "SCHEMATHESIS_BIN",
    requirement: SCHEMATHESIS_REQUIREMENT,
    allowPath: false,
  });

export interface FuzzRun {
  exitCode: number;
  output: string;
}

/**
 * One run over the whole document: every check, every phase (examples, coverage,
 * fuzzing, stateful over the inferred links), one worker (two crashed in the
 * coverage phase), a fixed seed and a time budget. Server-sent-event streams are
 * left out: they stay open until their resource is final.
 */
export async function fuzz(options: {
  schemaUrl: string;
  token: string;
  seed: number;
  maxSeconds: number;
  /** Only the operations whose path matches (all of them when absent). */
  includePath?: string;
}) {
  const command = [
    schemathesisPath(),
    "--config-file",
    CONFIG_FILE,
    "run",
    options.schemaUrl,
    "--checks",
    "all",
    "--workers",
    "1",
    "--seed",
    String(options.seed),
    "--max-time",
    String(options.maxSeconds),
    "--request-timeout",
    "10",
    "--exclude-path-regex",
    "/(watch|events)$",
    ...(options.includePath ? ["--include-path-regex", options.includePath] : []),
    "--header",
    `Authorization: Bearer ${options.token}`,
    "--no-color",
  ];
  // Its cache (.schemathesis/) goes to a directory of its own, not the repository.
  const cwd = mkdtempSync(join(tmpdir(), "schemathesis-"));
  const child = Bun.spawn(command, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  rmSync(cwd, { recursive: true, force: true });
  return { exitCode, output: stdout + stderr } satisfies FuzzRun;
}
