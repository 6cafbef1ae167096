// Databases for tests: a temporary SQLite file, or a fresh database on a
// throwaway PostgreSQL cluster that this test process starts once (or on the
// server TEST_DATABASE_URL names). PostgreSQL tests never skip: a machine
// without the server gets it from scripts/postgres.sh install, or fails loudly.
import { randomUUID } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { freePort } from "../testing";
import { openDatabase, type Db } from "./database";

export const TEST_BACKENDS = ["sqlite", "postgres"] as const;
export type Backend = (typeof TEST_BACKENDS)[number];

const REPO_ROOT = join(import.meta.dir, "..", "..", "..", "..");

function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "postgres")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

async function startCluster(): Promise<string> {
  let bin = postgresBinDir();
  if (!bin) {
    const install = Bun.spawnSync(["bash", join(REPO_ROOT, "scripts/postgres.sh"), "install"], {
      stdout: "inherit",
      stderr: "inherit",
    });
    bin = postgresBinDir();
    if (install.exitCode !== 0 || !bin)
      throw new Error("PostgreSQL is not installed and scripts/postgres.sh install failed");
  }
  const dir = mkdtempSync(join(tmpdir(), "pg-test-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim()), -1);
  const run = (argv: string[]) => (asRoot ? ["runuser", "-u", "postgres", "--", ...argv] : argv);
  const init = Bun.spawnSync(
    run([join(bin, "initdb"), "-D", join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
  );
  if (init.exitCode !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);
  const port = freePort();
  // Tests trade durability for speed; the crash tests use SQLite files, not this cluster.
  const postgres = run([
    join(bin, "postgres"),
    "-D",
    join(dir, "data"),
    "-k",
    dir,
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
  ]);
  // A watchdog shell owns the cluster: when this test process goes away, however
  // it ends (even kill -9), the cluster stops and its directory is removed.
  const watchdog = `
    "$@" >"$DIR/log" 2>&1 &
    SERVER=$!
    while kill -0 "$OWNER" 2>/dev/null && kill -0 "$SERVER" 2>/dev/null; do sleep 0.5; done
    kill -QUIT "$(head -n 1 "$DIR/data/postmaster.pid" 2>/dev/null)" 2>/dev/null
    wait "$SERVER"
    rm -rf "$DIR"
  `;
  // Detached into its own session (setsid, backgrounded): bun test's clean-up of
  // dangling child processes must not kill the watchdog and orphan the cluster.
  const launcher = Bun.spawn(
    ["sh", "-c", 'setsid sh -c "$0" watchdog "$@" </dev/null >/dev/null 2>&1 &', watchdog, ...postgres],
    {
      env: { ...process.env, DIR: dir, OWNER: String(process.pid) },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  await launcher.exited;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const probe = new SQL(url, { max: 1, connectionTimeout: 2 });
    try {
      await probe.unsafe("SELECT 1");
      await probe.close();
      return url;
    } catch (error) {
      await probe.close().catch(() => {});
      if (Date.now() > deadline) {
        const log = await Bun.file(join(dir, "log"))
          .text()
          .catch(() => "");
        throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`);
      }
      await Bun.sleep(100);
    }
  }
}

const holder = globalThis as unknown as { __platformTestPostgres?: Promise<string> };

/** The URL of the test PostgreSQL server (its `postgres` database), started on first use. */
export function testPostgresServer(): Promise<string> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return Promise.resolve(given);
  return (holder.__platformTestPostgres ??= startCluster());
}

/** A URL to a new, empty database: on PostgreSQL a fresh database, on SQLite a fresh file. */
export async function createTestDatabaseUrl(backend: Backend): Promise<string> {
  if (backend === "sqlite") return `sqlite:${join(mkdtempSync(join(tmpdir(), "sqlite-test-")), "test.sqlite")}`;
  const server = await testPostgresServer();
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  const admin = new SQL(server, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new, empty database, opened. */
export async function openTestDatabase(backend: Backend, poolSize = 10): Promise<Db> {
  return openDatabase("test", { url: await createTestDatabaseUrl(backend), dataDir: tmpdir(), poolSize });
}
