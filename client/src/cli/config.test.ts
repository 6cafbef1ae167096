// The CLI's config file holds a bearer token: folder 0700, file 0600 whatever
// the umask, written whole and never through a link someone planted.
import { afterEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configDir, configPath, readConfig, updateConfig, writeConfig } from "./config";
import { UsageError } from "./exitCodes";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
/** An environment whose config lives in a fresh folder. */
function freshEnv(): { XDG_CONFIG_HOME: string; HOME: string } {
  const root = mkdtempSync(join(tmpdir(), "cli-config-"));
  roots.push(root);
  return { XDG_CONFIG_HOME: join(root, "xdg"), HOME: join(root, "home") };
}
const mode = (path: string) => statSync(path).mode & 0o777;

describe("where the file is", () => {
  test("$XDG_CONFIG_HOME/platform/config.json, else ~/.config/platform/config.json", () => {
    expect(configPath({ XDG_CONFIG_HOME: "/x/cfg", HOME: "/home/a" })).toBe("/x/cfg/platform/config.json");
    expect(configPath({ HOME: "/home/a" })).toBe("/home/a/.config/platform/config.json");
    // The XDG spec: a relative value is invalid and ignored.
    expect(configDir({ XDG_CONFIG_HOME: "relative", HOME: "/home/a" })).toBe("/home/a/.config/platform");
  });
});

describe("writing", () => {
  test("creates the folder 0700 and the file 0600, even under a permissive umask", () => {
    const env = freshEnv();
    const previous = process.umask(0o000);
    try {
      const path = writeConfig({ url: "http://localhost:8080", token: "t0k" }, env);
      expect(path).toBe(configPath(env));
      expect(mode(configDir(env))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: "http://localhost:8080", token: "t0k" });
    } finally {
      process.umask(previous);
    }
  });

  test("tightens a folder that was already there and open to others", () => {
    const env = freshEnv();
    mkdirSync(configDir(env), { recursive: true });
    chmodSync(configDir(env), 0o755);
    writeConfig({ token: "a" }, env);
    expect(mode(configDir(env))).toBe(0o700);
  });

  test("replaces a file that was readable by others with a 0600 one", () => {
    const env = freshEnv();
    mkdirSync(configDir(env), { recursive: true, mode: 0o700 });
    writeFileSync(configPath(env), "{}", { mode: 0o644 });
    writeConfig({ token: "a" }, env);
    expect(mode(configPath(env))).toBe(0o600);
  });

  test("a link planted at the file's place is replaced, never written through", () => {
    const env = freshEnv();
    const victim = join(env.HOME, "victim");
    mkdirSync(env.HOME, { recursive: true });
    writeFileSync(victim, "untouched");
    mkdirSync(configDir(env), { recursive: true, mode: 0o700 });
    symlinkSync(victim, configPath(env));
    writeConfig({ token: "secret" }, env);
    expect(readFileSync(victim, "utf8")).toBe("untouched");
    expect(mode(configPath(env))).toBe(0o600);
    expect(readConfig(env).token).toBe("secret");
  });

  test("leaves no temporary file behind", () => {
    const env = freshEnv();
    writeConfig({ token: "a" }, env);
    writeConfig({ token: "b" }, env);
    expect(readdirSync(configDir(env))).toEqual(["config.json"]);
  });

  test("updateConfig changes some settings, keeps the others, removes the undefined ones", () => {
    const env = freshEnv();
    writeConfig({ url: "http://a", token: "t", username: "admin", expires_at: "2030-01-01T00:00:00Z" }, env);
    updateConfig({ token: undefined, expires_at: undefined }, env);
    expect(readConfig(env)).toEqual({ url: "http://a", username: "admin" });
  });
});

describe("reading", () => {
  test("no file yet: no settings", () => {
    expect(readConfig(freshEnv())).toEqual({});
  });

  test("a file open to others is read, with a warning that says how to fix it", () => {
    const env = freshEnv();
    writeConfig({ token: "t" }, env);
    chmodSync(configPath(env), 0o644);
    const warnings: string[] = [];
    expect(readConfig(env, (w) => warnings.push(w)).token).toBe("t");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("chmod 600");
  });

  test("a file that is not a JSON object is a usage error naming the file", () => {
    const env = freshEnv();
    for (const text of ["{not json", "[1,2]"]) {
      writeConfig({}, env);
      writeFileSync(configPath(env), text);
      expect(() => readConfig(env)).toThrow(UsageError);
      expect(() => readConfig(env)).toThrow(configPath(env));
    }
  });

  test("unknown or non-string fields are ignored", () => {
    const env = freshEnv();
    writeConfig({}, env);
    writeFileSync(configPath(env), JSON.stringify({ token: 5, url: "http://x", extra: "y" }));
    expect(readConfig(env)).toEqual({ url: "http://x" });
  });

  test("a folder where the file should be is a usage error", () => {
    const env = freshEnv();
    mkdirSync(configPath(env), { recursive: true });
    expect(() => readConfig(env)).toThrow(UsageError);
    expect(existsSync(configPath(env))).toBe(true);
  });
});
