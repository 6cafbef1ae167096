import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./config";
import { loadServiceConfig, openServiceDatabase } from "./serviceConfig";

describe("the service configuration's database settings", () => {
  test("default to an SQLite file per service under ./.data", () => {
    const config = loadServiceConfig(50051, {});
    expect([config.DATABASE_URL, config.DATA_DIR, config.DATABASE_POOL_SIZE]).toEqual([undefined, "./.data", 10]);
  });

  test.each([
    "postgres://u:p@db:5432/users",
    "postgresql://db/jobs?sslmode=require",
    "sqlite::memory:",
    "sqlite:/var/lib/app/users.sqlite",
  ])("accept %s", (url) => {
    expect(loadServiceConfig(50051, { DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  test.each(["mysql://db/users", "users.sqlite"])("reject %s, naming DATABASE_URL", (url) => {
    expect(() => loadServiceConfig(50051, { DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => loadServiceConfig(50051, { DATABASE_URL: url })).toThrow(/DATABASE_URL/);
  });

  test("the default database is <DATA_DIR>/<service>.sqlite, created on first open", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "data-dir-")), "nested");
    const db = openServiceDatabase("users", loadServiceConfig(50051, { DATA_DIR: dir }));
    await db.all("CREATE TABLE t (x INTEGER)");
    expect(db.location).toBe(`sqlite:${join(dir, "users.sqlite")}`);
    expect(existsSync(join(dir, "users.sqlite"))).toBe(true);
    expect(await db.get<{ journal_mode: string }>("PRAGMA journal_mode")).toEqual({ journal_mode: "wal" });
    await db.close();
  });
});
