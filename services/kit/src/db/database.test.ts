// The data-access seam and the migration runner, on both databases: the same
// queries give the same answers, migrations apply once, and replicas starting
// together (separate connections, separate processes) never apply one twice.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { isUniqueViolation, openDatabase, type Db } from "./database";
import { appliedMigrations, migrate, type Migration } from "./migrate";
import { createTestDatabaseUrl, TEST_BACKENDS } from "./testPostgres";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

const MIGRATIONS: Migration[] = [
  { version: 1, name: "things", sql: "CREATE TABLE things (id BIGINT PRIMARY KEY, label TEXT NOT NULL)" },
  { version: 2, name: "unique label", sql: "CREATE UNIQUE INDEX things_label ON things (lower(label))" },
  {
    version: 3,
    name: "counter",
    sql: {
      sqlite: "CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0);",
      postgres: "CREATE TABLE counter (n BIGINT NOT NULL); INSERT INTO counter VALUES (0);",
    },
  },
];

const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
});
const openUrl = (url: string, poolSize = 4) => {
  const db = openDatabase("kit-test", { url, dataDir: "/nonexistent", poolSize });
  open.push(db);
  return db;
};

describe.each(TEST_BACKENDS)("database on %s", (backend) => {
  test("migrations apply once, in order, and are recorded", async () => {
    const db = openUrl(await createTestDatabaseUrl(backend));
    expect(await migrate(db, "kit-test", MIGRATIONS)).toEqual([1, 2, 3]);
    expect(await migrate(db, "kit-test", MIGRATIONS)).toEqual([]);
    expect(await appliedMigrations(db, "kit-test")).toEqual([1, 2, 3]);
    // Another service's migrations in the same database keep their own versions.
    expect(
      await migrate(db, "other", [{ version: 1, name: "x", sql: "CREATE TABLE other_things (id BIGINT)" }]),
    ).toEqual([1]);
  });

  test("a failing migration leaves nothing behind", async () => {
    const db = openUrl(await createTestDatabaseUrl(backend));
    const broken = [
      ...MIGRATIONS,
      { version: 4, name: "broken", sql: "CREATE TABLE half (id BIGINT); SELECT * FROM no_such_table;" },
    ];
    expect(migrate(db, "kit-test", broken)).rejects.toThrow();
    await Bun.sleep(0);
    expect(await db.all("SELECT version FROM schema_migrations").catch(() => [])).toEqual([]);
    expect(await migrate(db, "kit-test", MIGRATIONS)).toEqual([1, 2, 3]);
  });

  test("queries, parameters, unique violations and rollbacks behave alike", async () => {
    const db = openUrl(await createTestDatabaseUrl(backend));
    await migrate(db, "kit-test", MIGRATIONS);
    const row = await db.get<{ id: unknown; label: string }>(
      "INSERT INTO things (id, label) VALUES ($1, $2) RETURNING id, label",
      [1, "One"],
    );
    expect([Number(row!.id), row!.label]).toEqual([1, "One"]);
    const duplicate = await db
      .all("INSERT INTO things (id, label) VALUES ($1, $2)", [2, "ONE"])
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const rolledBack = await db
      .transaction(async (tx) => {
        await tx.all("INSERT INTO things (id, label) VALUES ($1, $2)", [3, "three"]);
        throw new Error("abort");
      })
      .catch((e: Error) => e.message);
    expect(rolledBack).toBe("abort");
    expect((await db.all<{ id: unknown }>("SELECT id FROM things ORDER BY id")).map((r) => Number(r.id))).toEqual([1]);
    expect(await db.get("SELECT id FROM things WHERE id = $1", [99])).toBeUndefined();
  });

  test("concurrent transactions on one handle never lose an increment", async () => {
    const db = openUrl(await createTestDatabaseUrl(backend), 8);
    await migrate(db, "kit-test", MIGRATIONS);
    const lock = backend === "postgres" ? " FOR UPDATE" : "";
    await Promise.all(
      Array.from({ length: 40 }, () =>
        db.transaction(async (tx) => {
          const { n } = (await tx.get<{ n: unknown }>(`SELECT n FROM counter${lock}`))!;
          await tx.all("UPDATE counter SET n = $1", [Number(n) + 1]);
        }),
      ),
    );
    expect(Number((await db.get<{ n: unknown }>("SELECT n FROM counter"))!.n)).toBe(40);
  });

  test("a read issued while a transaction is open never sees (or joins) its uncommitted work", async () => {
    const db = openUrl(await createTestDatabaseUrl(backend), 4);
    await migrate(db, "kit-test", MIGRATIONS);
    const readN = async () => Number((await db.get<{ n: unknown }>("SELECT n FROM counter"))!.n);
    let reads: Promise<number>[] = [];
    const rolledBack = db.transaction(async (tx) => {
      await tx.all("UPDATE counter SET n = 7");
      reads = [readN(), readN()];
      await Bun.sleep(5);
      throw new Error("roll back");
    });
    await expect(rolledBack).rejects.toThrow("roll back");
    expect(await Promise.all(reads)).toEqual([0, 0]);
    const committed = db.transaction(async (tx) => {
      await tx.all("UPDATE counter SET n = 3");
      reads = [readN()];
      await Bun.sleep(5);
    });
    await committed;
    // SQLite's one connection runs the read after the commit; PostgreSQL's pool may run it before.
    if (backend === "sqlite") expect(await Promise.all(reads)).toEqual([3]);
    expect(await readN()).toBe(3);
  });
});

describe("replicas starting at once", () => {
  test("PostgreSQL: eight connections migrating together apply each version once", async () => {
    const url = await createTestDatabaseUrl("postgres");
    const replicas = Array.from({ length: 8 }, () => openUrl(url, 1));
    const results = await Promise.all(replicas.map((db) => migrate(db, "kit-test", MIGRATIONS)));
    expect(results.flat().sort()).toEqual([1, 2, 3]);
    expect(await appliedMigrations(replicas[0]!, "kit-test")).toEqual([1, 2, 3]);
  });

  test.each(TEST_BACKENDS)(
    "%s: four processes migrating the same database together apply each version once",
    async (backend) => {
      const url = await createTestDatabaseUrl(backend);
      const script = `
      import { openDatabase } from ${JSON.stringify(join(import.meta.dir, "database.ts"))};
      import { migrate } from ${JSON.stringify(join(import.meta.dir, "migrate.ts"))};
      const db = openDatabase("kit-test", { url: process.env.URL, dataDir: "/nonexistent", poolSize: 1 });
      const applied = await migrate(db, "kit-test", JSON.parse(process.env.MIGRATIONS));
      console.log(JSON.stringify(applied));
      await db.close();
    `;
      const procs = Array.from({ length: 4 }, () =>
        Bun.spawn([process.execPath, "-e", script], {
          env: { ...process.env, URL: url, MIGRATIONS: JSON.stringify(MIGRATIONS) },
          stdout: "pipe",
          stderr: "pipe",
        }),
      );
      const outputs = await Promise.all(
        procs.map(async (p) => {
          const [out, err, code] = await Promise.all([
            new Response(p.stdout).text(),
            new Response(p.stderr).text(),
            p.exited,
          ]);
          if (code !== 0) throw new Error(`replica failed: ${err}`);
          return JSON.parse(out) as number[];
        }),
      );
      expect(outputs.flat().sort()).toEqual([1, 2, 3]);
      const db = openUrl(url);
      expect(await appliedMigrations(db, "kit-test")).toEqual([1, 2, 3]);
    },
  );
});
