// The data-access seam and the migration runner, on both databases: the same
// queries give the same answers, migrations apply once, and replicas starting
// together (separate connections, separate processes) never apply one twice.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { statSync } from "node:fs";
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

  test("write: one statement's RETURNING rows; a unique violation is the caller's alone", async () => {
    const db = openUrl(await createTestDatabaseUrl(backend));
    await migrate(db, "kit-test", MIGRATIONS);
    const rows = await db.write<{ id: unknown; label: string }>(
      "INSERT INTO things (id, label) VALUES ($1, $2) RETURNING id, label",
      [1, "One"],
    );
    expect(rows.map((r) => [Number(r.id), r.label])).toEqual([[1, "One"]]);
    const outcomes = await Promise.allSettled([
      db.write("INSERT INTO things (id, label) VALUES ($1, $2)", [2, "ONE"]),
      db.write("INSERT INTO things (id, label) VALUES ($1, $2) RETURNING id", [3, "three"]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "fulfilled"]);
    expect(isUniqueViolation((outcomes[0] as PromiseRejectedResult).reason)).toBe(true);
    expect(await db.write("UPDATE things SET label = $1 WHERE id = $2 RETURNING id", ["nothing", 99])).toEqual([]);
    expect((await db.all<{ id: unknown }>("SELECT id FROM things ORDER BY id")).map((r) => Number(r.id))).toEqual([
      1, 3,
    ]);
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

describe("SQLite group commit", () => {
  const openMigrated = async () => {
    const url = await createTestDatabaseUrl("sqlite");
    const db = openUrl(url);
    await migrate(db, "kit-test", MIGRATIONS);
    return { db, file: url.slice("sqlite:".length) };
  };
  const insert = (db: Db, id: number) =>
    db.transaction(async (tx) => {
      await tx.all("INSERT INTO things (id, label) VALUES ($1, $2)", [id, `thing ${id}`]);
      return id;
    });
  const ids = async (db: Db) =>
    (await db.all<{ id: unknown }>("SELECT id FROM things ORDER BY id")).map((r) => Number(r.id));
  /** Bytes appended to the write-ahead log since the last checkpoint: a page per page changed, per commit. */
  const walBytes = (file: string) => statSync(`${file}-wal`).size;

  test("transactions asked for in one turn commit together: one append to the log, not one each", async () => {
    const { db, file } = await openMigrated();
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(await insert(db, 1)).toBe(1);
    const one = walBytes(file);
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => insert(db, 100 + i)))).toEqual(
      Array.from({ length: 20 }, (_, i) => 100 + i),
    );
    // Twenty rows on the same page or two: about what one insert wrote, far from twenty times it.
    expect(walBytes(file)).toBeLessThan(one * 3);
    expect(await ids(db)).toHaveLength(21);
  });

  test("single writes asked for in one turn commit together with its transactions", async () => {
    const { db, file } = await openMigrated();
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    await db.write("INSERT INTO things (id, label) VALUES ($1, $2)", [1, "thing 1"]);
    const one = walBytes(file);
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        db.write("INSERT INTO things (id, label) VALUES ($1, $2)", [100 + i, `thing ${100 + i}`]),
      ),
      ...Array.from({ length: 10 }, (_, i) => insert(db, 200 + i)),
    ]);
    expect(walBytes(file)).toBeLessThan(one * 3);
    expect(await ids(db)).toHaveLength(21);
  });

  test("reading the plan of a write statement does not keep the next commit from running", async () => {
    const { db } = await openMigrated();
    const update =
      "WITH picked AS (SELECT id FROM things ORDER BY id LIMIT $1) UPDATE things SET label = label || '!' WHERE id IN (SELECT id FROM picked) RETURNING id";
    await insert(db, 1);
    expect((await db.all(`EXPLAIN QUERY PLAN ${update}`, [1])).length).toBeGreaterThan(0);
    expect(await db.write(update, [1])).toEqual([{ id: 1 }]);
    expect(await insert(db, 2)).toBe(2);
  });

  test("one that throws is rolled back alone; the others in its group commit", async () => {
    const { db } = await openMigrated();
    const outcomes = await Promise.allSettled([
      insert(db, 1),
      db.transaction(async (tx) => {
        await tx.all("INSERT INTO things (id, label) VALUES ($1, $2)", [2, "two"]);
        throw new Error("changed my mind");
      }),
      // A unique violation (the same label as 1's), from inside its savepoint.
      db.transaction((tx) => tx.all("INSERT INTO things (id, label) VALUES ($1, $2)", [3, "THING 1"])),
      insert(db, 4),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe("changed my mind");
    expect(isUniqueViolation((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect(await ids(db)).toEqual([1, 4]);
  });

  test("one that ends the transaction takes the group's earlier work with it; the later ones run again", async () => {
    const { db } = await openMigrated();
    const outcomes = await Promise.allSettled([
      insert(db, 1),
      db.transaction(async (tx) => {
        await tx.exec("ROLLBACK");
      }),
      insert(db, 3),
      insert(db, 4),
    ]);
    // 1 ran in the transaction that ended: it is not stored, and its caller is told so.
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "fulfilled", "fulfilled"]);
    expect(await ids(db)).toEqual([3, 4]);
    // The connection is sound afterwards.
    expect(await insert(db, 5)).toBe(5);
    expect(await ids(db)).toEqual([3, 4, 5]);
  });

  test("a read while a group is forming sees what is committed; transactions asked for before close() commit", async () => {
    const { db } = await openMigrated();
    await insert(db, 1);
    const pending = [insert(db, 2), insert(db, 3)];
    expect(await ids(db)).toEqual([1]);
    await Promise.all(pending);
    expect(await ids(db)).toEqual([1, 2, 3]);

    const url = await createTestDatabaseUrl("sqlite");
    const closing = openDatabase("kit-test", { url, dataDir: "/nonexistent" });
    await migrate(closing, "kit-test", MIGRATIONS);
    const beforeClose = insert(closing, 7);
    await closing.close();
    expect(await beforeClose).toBe(7);
    const reopened = openUrl(url);
    expect(await ids(reopened)).toEqual([7]);
  });

  test("when another process holds the write lock past the busy timeout, the whole group fails, and the next one commits", async () => {
    const url = await createTestDatabaseUrl("sqlite");
    const db = openDatabase("kit-test", { url, dataDir: "/nonexistent", busyTimeoutMs: 50 });
    open.push(db);
    await migrate(db, "kit-test", MIGRATIONS);
    const other = new Database(url.slice("sqlite:".length));
    other.exec("BEGIN IMMEDIATE");
    const outcomes = await Promise.allSettled([insert(db, 1), insert(db, 2)]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    other.exec("ROLLBACK");
    other.close();
    expect(await Promise.all([insert(db, 3), insert(db, 4)])).toEqual([3, 4]);
    expect(await ids(db)).toEqual([3, 4]);
  });

  test("a group is bounded: of 200 asked for at once, the first learns its outcome before the 65th runs", async () => {
    const { db } = await openMigrated();
    const events: string[] = [];
    const many = Array.from({ length: 200 }, (_, i) =>
      db
        .transaction(async (tx) => {
          events.push(`ran ${i + 1}`);
          await tx.all("INSERT INTO things (id, label) VALUES ($1, $2)", [i + 1, `thing ${i + 1}`]);
        })
        .then(() => events.push(`committed ${i + 1}`)),
    );
    await Promise.all(many);
    expect(await ids(db)).toHaveLength(200);
    expect(events.indexOf("committed 1")).toBeGreaterThan(events.indexOf("ran 64"));
    expect(events.indexOf("committed 1")).toBeLessThan(events.indexOf("ran 65"));
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
