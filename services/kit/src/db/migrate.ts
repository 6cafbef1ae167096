// Versioned schema migrations, applied at start. Each service lists its own;
// every version is applied once, in order, recorded in schema_migrations.
// Several replicas may start at once: PostgreSQL serialises them with an
// advisory lock, SQLite with its single writer (BEGIN IMMEDIATE).
import type { Db, Dialect, Queryable } from "./database";

export interface Migration {
  version: number;
  name: string;
  /** The same SQL for both databases, or one text per dialect. */
  sql: string | Record<Dialect, string>;
}

// Keyed by service too, so services sharing one database by mistake do not mix versions.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  service TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (service, version)
)`;

/** A stable 32-bit key for pg_advisory_xact_lock. */
const LOCK_KEY = 0x5c4e3a;

/** Applies the pending migrations; returns the versions applied now. */
export async function migrate(db: Db, service: string, migrations: readonly Migration[]): Promise<number[]> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (i > 0 && m.version === sorted[i - 1]!.version)
      throw new Error(`migration version ${m.version} is listed twice`);
  });
  return db.transaction(async (tx) => {
    // The lock is held until this transaction ends: replicas apply one after another.
    if (tx.dialect === "postgres") await tx.all("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await tx.exec(CREATE_TABLE);
    const done = new Set(
      (await tx.all<{ version: unknown }>("SELECT version FROM schema_migrations WHERE service = $1", [service])).map(
        (r) => Number(r.version),
      ),
    );
    const applied: number[] = [];
    for (const migration of sorted) {
      if (done.has(migration.version)) continue;
      await tx.exec(typeof migration.sql === "string" ? migration.sql : migration.sql[tx.dialect]);
      await tx.all("INSERT INTO schema_migrations (service, version, name, applied_at) VALUES ($1, $2, $3, $4)", [
        service,
        migration.version,
        migration.name,
        Date.now(),
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}

export async function appliedMigrations(db: Queryable, service: string): Promise<number[]> {
  const rows = await db.all<{ version: unknown }>(
    "SELECT version FROM schema_migrations WHERE service = $1 ORDER BY version",
    [service],
  );
  return rows.map((r) => Number(r.version));
}
