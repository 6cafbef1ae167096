// One small data-access seam over the two databases a service can run on:
// an embedded SQLite file (bun:sqlite, the default) or PostgreSQL (Bun.SQL),
// chosen by DATABASE_URL. Queries use $1, $2, ... placeholders on both.
import { Database as SqliteDatabase } from "bun:sqlite";
import { SQL } from "bun";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export type Dialect = "sqlite" | "postgres";
export type Row = Record<string, unknown>;

/** What queries run on: the database itself, or a transaction in progress. */
export interface Queryable {
  readonly dialect: Dialect;
  /** Every row the statement returns. */
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /**
   * Runs `fn` in a write transaction: BEGIN IMMEDIATE on SQLite (one writer at a
   * time, across processes too), an ordinary transaction on PostgreSQL. Commits
   * when `fn` resolves, rolls back when it throws. On SQLite the transactions asked
   * for in one turn of the event loop commit together (each in a savepoint, so one
   * that throws is rolled back alone): the promise settles after that commit.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * One statement that writes, and the rows it returns (RETURNING). On SQLite it
   * commits with the transactions asked for in the same turn (group commit: a
   * write on its own pays a whole commit); on PostgreSQL it runs as it is.
   */
  write<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` (PostgreSQL
   * LISTEN, on one dedicated connection, re-subscribed after a reconnect);
   * resolves once listening, with a function that stops. SQLite has no other
   * writers to hear from: a no-op.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Where the data lives, without credentials (for logs). */
  readonly location: string;
}

export interface DatabaseSettings {
  /** postgres://… or postgresql://… for PostgreSQL; sqlite:<path> or sqlite::memory: for SQLite; unset: SQLite under dataDir. */
  url?: string | undefined;
  /** Directory of the default SQLite file, <dataDir>/<service>.sqlite. */
  dataDir: string;
  /** PostgreSQL connection pool size. */
  poolSize?: number;
  /** How long SQLite waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

export function openDatabase(service: string, settings: DatabaseSettings): Db {
  const url = settings.url ?? "";
  if (/^postgres(?:ql)?:\/\//i.test(url)) return new PostgresDb(url, settings.poolSize ?? 10);
  let path: string;
  if (url === "") path = join(resolve(settings.dataDir), `${service}.sqlite`);
  else if (url.startsWith("sqlite:")) path = url.slice("sqlite:".length).replace(/^\/\//, "");
  else throw new Error("DATABASE_URL must start with postgres://, postgresql:// or sqlite:");
  return new SqliteDb(path, settings.busyTimeoutMs ?? 5_000);
}

/** True when the error is a unique-constraint violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return (
    errno === "23505" ||
    code === "23505" ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

/** The name of the violated constraint or index, where the database says it. */
export function violatedConstraint(error: unknown): string {
  const { constraint, message } = error as { constraint?: unknown; message?: unknown };
  if (typeof constraint === "string") return constraint;
  return typeof message === "string" ? message : "";
}

// ---------------------------------------------------------------------------

/** $1 → ?1: SQLite's numbered parameters take the same numbers. Each text is rewritten once. */
const sqliteTexts = new Map<string, string>();
const toSqliteParams = (sql: string) => {
  let text = sqliteTexts.get(sql);
  if (text === undefined) {
    text = sql.replace(/\$(\d+)/g, "?$1");
    // Statements are the code's own constants; the bound only guards against a caller that builds them.
    if (sqliteTexts.size < 1_000) sqliteTexts.set(sql, text);
  }
  return text;
};

type Bindable = string | number | bigint | boolean | null | Uint8Array;
const bindable = (params: readonly unknown[]) => params.map((p) => (p === undefined ? null : p)) as Bindable[];

/** One transaction waiting for its group's commit. */
interface GroupMember {
  fn: (tx: Queryable) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const EXPLAIN = /^\s*EXPLAIN\b/i;

/** Transactions committed together at most: a bound on how long the first of a group waits for the last. */
const MAX_GROUP = 64;

class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  readonly location: string;
  private readonly db: SqliteDatabase;
  // bun:sqlite is synchronous and this is one connection: while a transaction
  // awaits between statements, nothing else may run on the connection, or it
  // would silently join (and roll back with) that transaction.
  private tail: Promise<unknown> = Promise.resolve();
  /** Work queued on `tail` that has not finished: while 0, nothing holds the connection. */
  private queued = 0;
  /** The transactions asked for during this turn of the event loop, to commit as one group. */
  private forming: GroupMember[] | undefined;
  private readonly direct: Queryable;

  constructor(path: string, busyTimeoutMs: number) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.location = path === ":memory:" ? "sqlite::memory:" : `sqlite:${path}`;
    this.db = new SqliteDatabase(path, { create: true, strict: false });
    this.db.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`);
    if (path !== ":memory:") this.db.exec("PRAGMA journal_mode = WAL");
    // NORMAL in WAL mode: a commit survives a crash of the process (kill -9);
    // only an OS crash or power loss can take the last commits back.
    this.db.exec("PRAGMA synchronous = NORMAL");
    this.db.exec("PRAGMA foreign_keys = ON");
    const db = this.db;
    this.direct = {
      dialect: "sqlite",
      all: async <T>(sql: string, params: readonly unknown[] = []) => {
        const text = toSqliteParams(sql);
        if (!EXPLAIN.test(text)) return db.query(text).all(...bindable(params)) as T[];
        // bun:sqlite leaves an EXPLAIN QUERY PLAN of a write statement busy once read, and a
        // busy statement keeps the next COMMIT from running: such a plan is read and finalized.
        const statement = db.prepare(text);
        try {
          return statement.all(...bindable(params)) as T[];
        } finally {
          statement.finalize();
        }
      },
      get: async <T>(sql: string, params: readonly unknown[] = []) =>
        (db.query(toSqliteParams(sql)).get(...bindable(params)) ?? undefined) as T | undefined,
      exec: async (sql: string) => void db.exec(sql),
    };
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const done = () => {
      this.queued--;
    };
    const run = this.tail.then(fn, fn);
    this.tail = run.then(done, done);
    return run;
  }

  /**
   * One statement: at once when nothing is queued (no transaction can be open:
   * the statement is synchronous, so it cannot interleave with one), else after
   * what is queued. A lookup by id then costs no promise chain.
   */
  private statement<T>(fn: () => Promise<T>): Promise<T> {
    return this.queued === 0 ? fn() : this.serialized(fn);
  }

  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.statement(() => this.direct.all<T>(sql, params));
  }
  get<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.statement(() => this.direct.get<T>(sql, params));
  }
  exec(sql: string): Promise<void> {
    return this.serialized(() => this.direct.exec(sql));
  }

  /**
   * Group commit: the transactions asked for during one turn of the event loop run
   * in one SQLite transaction, each in a savepoint of its own, and commit together.
   * A commit is most of a small write's cost (its pages appended to the WAL), and
   * under load one turn serves many requests. Each caller still learns its outcome
   * only after the COMMIT that made its work durable; one that throws is rolled back
   * to its savepoint alone, and the others commit.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    if (!this.forming) {
      this.forming = [];
      setImmediate(() => this.startGroup());
    }
    this.forming.push({ fn, resolve, reject } as GroupMember);
    return promise;
  }

  write<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.transaction((tx) => tx.all<T>(sql, params));
  }

  /** Hands the transactions asked for so far to the connection's queue, as one group. */
  private startGroup(): void {
    const group = this.forming;
    this.forming = undefined;
    if (group) void this.serialized(() => this.commitGroup(group));
  }

  private async commitGroup(group: GroupMember[]): Promise<void> {
    // A bounded group: past this, later ones wait for the next commit.
    if (group.length > MAX_GROUP) {
      const rest = group.splice(MAX_GROUP);
      void this.serialized(() => this.commitGroup(rest));
    }
    try {
      this.db.query("BEGIN IMMEDIATE").run();
    } catch (error) {
      // Another process held the write lock past busy_timeout: every member learns it.
      for (const member of group) member.reject(error);
      return;
    }
    const settled: Array<() => void> = [];
    const single = group.length === 1;
    let ran = 0;
    try {
      for (const member of group) {
        ran++;
        if (!single) this.db.query("SAVEPOINT member").run();
        try {
          const value = await member.fn(this.direct);
          if (!single) this.db.query("RELEASE member").run();
          settled.push(() => member.resolve(value));
        } catch (error) {
          if (single || !this.db.inTransaction) throw error;
          this.db.query("ROLLBACK TO member").run();
          this.db.query("RELEASE member").run();
          settled.push(() => member.reject(error));
        }
      }
      this.db.query("COMMIT").run();
      for (const settle of settled) settle();
    } catch (error) {
      // Nothing of the group is stored: COMMIT failed, or the transaction ended under a
      // member (its error, or a statement that ended it). The members that ran learn the
      // error; those that had not run yet try again in a group of their own.
      try {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
      } catch {
        // the connection is gone (closed): there is nothing left to undo
      }
      for (const member of group.slice(0, ran)) member.reject(error);
      const notRun = group.slice(ran);
      if (notRun.length > 0) void this.serialized(() => this.commitGroup(notRun));
    }
  }

  async listen(): Promise<() => Promise<void>> {
    return async () => {};
  }

  async close(): Promise<void> {
    // Transactions asked for before close() still commit.
    this.startGroup();
    await this.serialized(async () => this.db.close());
  }
}

class PostgresDb implements Db {
  readonly dialect = "postgres" as const;
  readonly location: string;
  private readonly sql: SQL;

  constructor(url: string, poolSize: number) {
    const parsed = new URL(url);
    this.location = `postgres://${parsed.host}${parsed.pathname}`;
    this.sql = new SQL(url, { max: poolSize, idleTimeout: 30, connectionTimeout: 10 });
  }

  private static on(sql: SQL): Queryable {
    return {
      dialect: "postgres",
      all: async <T>(text: string, params: readonly unknown[] = []) => [
        ...((await sql.unsafe(text, [...params])) as T[]),
      ],
      get: async <T>(text: string, params: readonly unknown[] = []) =>
        ((await sql.unsafe(text, [...params])) as T[])[0],
      exec: async (text: string) => void (await sql.unsafe(text)),
    };
  }

  all<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return PostgresDb.on(this.sql).all<T>(text, params);
  }
  get<T = Row>(text: string, params?: readonly unknown[]): Promise<T | undefined> {
    return PostgresDb.on(this.sql).get<T>(text, params);
  }
  exec(text: string): Promise<void> {
    return PostgresDb.on(this.sql).exec(text);
  }

  write<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.all<T>(text, params);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.sql.begin((tx) => fn(PostgresDb.on(tx as unknown as SQL))) as Promise<T>;
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const subscription = await this.sql.listen(channel, onNotify);
    return () => subscription.unlisten();
  }

  async close(): Promise<void> {
    await this.sql.close({ timeout: 5 });
  }
}
