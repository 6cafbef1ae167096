// The CLI's per-user settings file: the gateway URL and the token of the last
// login. $XDG_CONFIG_HOME/platform/config.json (~/.config/platform/config.json
// when unset). It holds a bearer token, so the folder is 0700 and the file 0600,
// written whole to a temporary file of its own (created exclusively, never
// following a link) and renamed over the old one: never readable by others,
// never half-written.
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./exitCodes";

export const APP_NAME = "platform";

export interface CliConfig {
  /** The gateway (or edge) the CLI talks to. */
  url?: string;
  token?: string;
  /** Who logged in (for `login`'s message and `whoami`-like output). */
  username?: string;
  /** When the token lapses (RFC 3339). */
  expires_at?: string;
}

type Env = Record<string, string | undefined>;

/** The config folder: $XDG_CONFIG_HOME/platform, or ~/.config/platform. */
export function configDir(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME?.startsWith("/") ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), ".config");
  return join(base, APP_NAME);
}

export const configPath = (env: Env = process.env) => join(configDir(env), "config.json");

const FIELDS = ["url", "token", "username", "expires_at"] as const;

/** The settings, or {} when there is no file yet. A file that is not ours to read as settings is a UsageError. */
export function readConfig(env: Env = process.env, warn: (message: string) => void = () => {}): CliConfig {
  const path = configPath(env);
  let text: string;
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a regular file; remove it and log in again`);
    if ((stat.mode & 0o077) !== 0)
      warn(`${path} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); run \`chmod 600 ${path}\``);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON; fix or remove it`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${path} must hold a JSON object`);
  const config: CliConfig = {};
  for (const field of FIELDS) {
    const value = (parsed as Record<string, unknown>)[field];
    if (typeof value === "string") config[field] = value;
  }
  return config;
}

/** Replaces the settings file with `config` (folder 0700, file 0600). */
export function writeConfig(config: CliConfig, env: Env = process.env): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  // mkdir's mode is filtered by the umask and does not touch a folder that was already there.
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const path = join(dir, "config.json");
  const temporary = join(dir, `.config.json.${process.pid}.${Date.now()}`);
  // "wx": created here and now (O_CREAT|O_EXCL), so never through a planted link; 0600 from the start.
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(config, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return path;
}

/** Changes some settings and keeps the rest; `undefined` removes one. */
export function updateConfig(change: Partial<CliConfig>, env: Env = process.env): string {
  const next: CliConfig = { ...readConfig(env) };
  for (const [key, value] of Object.entries(change) as [keyof CliConfig, string | undefined][]) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return writeConfig(next, env);
}
