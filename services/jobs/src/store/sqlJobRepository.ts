// Jobs in SQL. The claim is one statement: on PostgreSQL the candidate row is
// locked with FOR UPDATE SKIP LOCKED, so concurrent claimers pass over each
// other's rows instead of queueing; on SQLite the statement is a write
// transaction, and writers (in any process) take turns.
import { isUniqueViolation, type Db, type PageRequest } from "@platform/kit";
import { DEFAULT_QUEUE, type Job, type JobStatus, type NewJob } from "../domain/job";
import { randomUUID } from "node:crypto";
import { backoffColumns, COLUMNS, columnsOf, date, ms, toJob, type JobRow } from "./jobRows";
import type { JobFilter, JobRepository, ReadyJob, StatusCount } from "./jobRepository";

/** The PostgreSQL channel that announces jobs becoming ready: "<replica> <kind> <run_after ms> <queue>". */
export const JOBS_READY_CHANNEL = "jobs_ready";
/** The PostgreSQL channel that announces every write to a job (for its watchers): "<replica> <id>". */
export const JOBS_CHANGED_CHANNEL = "jobs_changed";

/** COLUMNS of jobs, for a statement that reads another table too. */
const JOBS_COLUMNS = columnsOf("jobs");

/** A column of a table passed as rows (rowsTable), and its PostgreSQL type. */
type Column = readonly [name: string, type: "text" | "bigint" | "integer" | "float8"];

/** What save() writes, after the id and version it checks. */
const SAVED_COLUMNS: readonly Column[] = [
  ["id", "bigint"],
  ["version", "integer"],
  ["status", "text"],
  ["result", "text"],
  ["error", "text"],
  ["attempts", "integer"],
  ["updated_at", "bigint"],
  ["started_at", "bigint"],
  ["finished_at", "bigint"],
  ["worker_id", "text"],
  ["lease_expires_at", "bigint"],
  ["run_after", "bigint"],
  ["expires_at", "bigint"],
  ["run_deadline", "bigint"],
];

const savedValues = (job: Job): unknown[] => [
  job.id,
  job.version,
  job.status,
  job.result,
  job.error,
  job.attempts,
  ms(job.updatedAt),
  ms(job.startedAt),
  ms(job.finishedAt),
  job.workerId,
  ms(job.leaseExpiresAt),
  ms(job.runAfter),
  ms(job.expiresAt),
  ms(job.runDeadline),
];

/** What create() and createMany() insert from each job, besides its status and times of creation. */
const CREATED_COLUMNS: readonly Column[] = [
  ["job_name", "text"],
  ["kind", "text"],
  ["payload", "text"],
  ["max_attempts", "integer"],
  ["run_after", "bigint"],
  ["idempotency_key", "text"],
  ["owner", "text"],
  ["priority", "integer"],
  ["queue", "text"],
  ["expires_at", "bigint"],
  ["timeout_seconds", "integer"],
  ["backoff_initial_ms", "bigint"],
  ["backoff_max_ms", "bigint"],
  ["backoff_multiplier", "float8"],
];
const CREATED_NAMES = CREATED_COLUMNS.map(([column]) => column).join(", ");

/** A new job's CREATED_COLUMNS, created at `t` (ms). */
const createdValues = (job: NewJob, t: number): unknown[] => [
  job.name,
  job.kind,
  job.payload,
  job.maxAttempts,
  Math.max(t, job.runAt?.getTime() ?? t),
  job.idempotencyKey,
  job.owner,
  job.priority,
  job.queue,
  ms(job.expiresAt),
  job.timeoutSeconds,
  ...backoffColumns(job.backoff),
];

export class SqlJobRepository implements JobRepository {
  /** Tells this replica's own announcements apart (it wakes its waiters in-process). */
  private readonly replica = randomUUID();

  /** create()'s and save()'s statements: written once, they run for every job and every report. */
  private readonly createText: string;
  private readonly saveText: string;

  constructor(private readonly db: Db) {
    // $1 is the time of creation; the job's CREATED_COLUMNS follow.
    this.createText = this.announcing(
      `INSERT INTO jobs (${CREATED_NAMES}, status, created_at, updated_at)
       VALUES (${CREATED_COLUMNS.map((_, i) => `$${i + 2}`).join(", ")}, 'PENDING', $1, $1) RETURNING ${COLUMNS}`,
    );
    this.saveText = this.announcing(
      `UPDATE jobs SET ${SAVED_COLUMNS.slice(2)
        .map(([column], i) => `${column} = $${i + 3}`)
        .join(", ")}, version = version + 1 WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    );
  }

  /**
   * `statement` (returning the job's columns) as one statement that, on
   * PostgreSQL, also announces the job when it is PENDING, and announces the
   * change to the job's watchers: NOTIFY is transactional, so nobody hears of
   * a job before it is committed.
   */
  private announcing(statement: string): string {
    if (this.db.dialect !== "postgres") return statement;
    return `WITH j AS (${statement})
      SELECT j.*, CASE WHEN j.status = 'PENDING'
        THEN pg_notify('${JOBS_READY_CHANNEL}', '${this.replica} ' || j.kind || ' ' || j.run_after || ' ' || j.queue) END IS NULL AS announced,
        pg_notify('${JOBS_CHANGED_CHANNEL}', '${this.replica} ' || j.id) IS NULL AS changed
      FROM j`;
  }

  async onReady(listener: (job: ReadyJob) => void): Promise<() => Promise<void>> {
    return this.db.listen(JOBS_READY_CHANNEL, (payload) => {
      const [replica, kind, runAfter, queue] = payload.split(" ");
      if (replica === this.replica || !kind) return;
      listener({ kind, queue: queue || DEFAULT_QUEUE, runAfter: new Date(Number(runAfter) || 0) });
    });
  }

  async onChanged(listener: (id: number) => void): Promise<() => Promise<void>> {
    return this.db.listen(JOBS_CHANGED_CHANNEL, (payload) => {
      const [replica, id] = payload.split(" ");
      if (replica === this.replica || !id) return;
      listener(Number(id));
    });
  }

  async create(job: NewJob, now: Date): Promise<{ job: Job; created: boolean }> {
    const t = now.getTime();
    try {
      const [row] = await this.db.write<JobRow>(this.createText, [t, ...createdValues(job, t)]);
      return { job: toJob(row!), created: true };
    } catch (error) {
      if (!isUniqueViolation(error) || job.idempotencyKey === null) throw error;
      const existing = await this.db.get<JobRow>(
        `SELECT ${COLUMNS} FROM jobs WHERE owner = $1 AND idempotency_key = $2`,
        [job.owner, job.idempotencyKey],
      );
      if (!existing) throw error;
      return { job: toJob(existing), created: false };
    }
  }

  async get(id: number): Promise<Job | undefined> {
    const row = await this.db.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return row && toJob(row);
  }

  async listAfter(page: PageRequest, filter: JobFilter = {}): Promise<Job[]> {
    const rows = await this.db.all<JobRow>(...this.listStatement(page, filter));
    return rows.map(toJob);
  }

  /** The list's statement and parameters (public so a test can read its query plan). */
  listStatement({ afterId, limit }: PageRequest, filter: JobFilter = {}): [string, unknown[]] {
    const params: unknown[] = [afterId, limit + 1];
    const where = ["id > $1"];
    for (const column of ["status", "owner", "kind", "queue"] as const) {
      const value = filter[column];
      if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
    }
    return [`SELECT ${COLUMNS} FROM jobs WHERE ${where.join(" AND ")} ORDER BY id LIMIT $2`, params];
  }

  async save(job: Job): Promise<Job | undefined> {
    const [row] = await this.db.write<JobRow>(this.saveText, savedValues(job));
    return row && toJob(row);
  }

  async saveMany(jobs: readonly Job[]): Promise<Array<Job | undefined>> {
    if (jobs.length === 0) return [];
    // One job is save()'s statement: PostgreSQL plans the batch statement afresh for every execution (its
    // generic plan, costed for unnest's 100 rows, never beats a plan for the actual few), save()'s once.
    if (jobs.length === 1) return [await this.save(jobs[0]!)];
    const rows = await this.db.write<JobRow>(...this.saveManyStatement(jobs));
    const saved = new Map(rows.map((row) => [Number(row.id), toJob(row)]));
    return jobs.map((job) => saved.get(job.id));
  }

  /**
   * saveMany's one statement and its parameters (public so a test can read its plan): save() of every job,
   * the jobs passed as a table (rowsTable). Their ids must be distinct.
   */
  saveManyStatement(jobs: readonly Job[]): [string, unknown[]] {
    const params: unknown[] = [];
    const v = this.rowsTable(params, SAVED_COLUMNS, jobs.map(savedValues));
    const set = SAVED_COLUMNS.slice(2)
      .map(([column]) => `${column} = v.${column}`)
      .join(", ");
    return [
      this.announcing(`UPDATE jobs SET ${set}, version = jobs.version + 1 FROM ${v}
         WHERE jobs.id = v.id AND jobs.version = v.version RETURNING ${JOBS_COLUMNS}`),
      params,
    ];
  }

  async getMany(ids: readonly number[]): Promise<Job[]> {
    if (ids.length === 0) return [];
    const params: unknown[] = [];
    const list = ids.map((id) => `$${params.push(id)}`).join(", ");
    const rows = await this.db.all<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id IN (${list})`, params);
    return rows.map(toJob);
  }

  async nextRunAfter(kinds: readonly string[], queues: readonly string[], now: Date): Promise<Date | undefined> {
    const row = await this.db.get<{ next: unknown }>(...this.nextRunAfterStatement(kinds, queues, now));
    return row ? date(row.next) : undefined;
  }

  /**
   * nextRunAfter's statement (public so a test can read its plan): each kind's next job (of the given
   * kinds, or of every kind with PENDING jobs) comes from its own stretch of jobs_due_by_kind, and the
   * earliest wins.
   */
  nextRunAfterStatement(kinds: readonly string[], queues: readonly string[], now: Date): [string, unknown[]] {
    const params: unknown[] = [now.getTime()];
    const queueFilter = this.oneOf(params, "queue", queues);
    const [withKinds, each] = this.kindsTable(params, kinds);
    return [
      `${withKinds} SELECT next FROM (
         SELECT (
           SELECT run_after FROM ${this.jobsBy("jobs_due_by_kind")}
           WHERE status = 'PENDING' AND kind = k.kind AND run_after > $1 ${queueFilter} ORDER BY run_after LIMIT 1
         ) AS next FROM ${each}
       ) AS each_kind WHERE next IS NOT NULL ORDER BY next LIMIT 1`,
      params,
    ];
  }

  /**
   * The kinds to read, as a table `k` with one column, `kind`, and the WITH clause it needs: the given
   * ones (passed as one JSON parameter appended to `params`, each once), or, for any kind, those that
   * have PENDING jobs, found by one seek per kind in jobs_claimable_by_kind (a loose index scan).
   */
  private kindsTable(params: unknown[], kinds: readonly string[]): [withClause: string, table: string] {
    const postgres = this.db.dialect === "postgres";
    if (kinds.length > 0) {
      const n = params.push(JSON.stringify([...new Set(kinds)]));
      return [
        "",
        postgres
          ? `jsonb_array_elements_text(($${n}::text)::jsonb) AS k(kind)`
          : `(SELECT value AS kind FROM json_each($${n})) AS k`,
      ];
    }
    const index = this.jobsBy("jobs_claimable_by_kind");
    return [
      `WITH RECURSIVE pending_kinds(kind) AS (
         SELECT (SELECT MIN(kind) FROM ${index} WHERE status = 'PENDING')
         UNION ALL
         SELECT (SELECT MIN(kind) FROM ${index} WHERE status = 'PENDING' AND kind > pending_kinds.kind)
           FROM pending_kinds WHERE kind IS NOT NULL
       )`,
      "(SELECT kind FROM pending_kinds WHERE kind IS NOT NULL) AS k",
    ];
  }

  /**
   * `jobs`, naming `index` on SQLite: its planner has no statistics and would rather read every PENDING,
   * RUNNING or finished job through jobs_by_status than the index a statement is written for.
   */
  private jobsBy(index: string): string {
    return this.db.dialect === "sqlite" ? `jobs INDEXED BY ${index}` : "jobs";
  }

  /** `AND column IN (values)`, the values passed as one JSON parameter appended to `params`; "" when none. */
  private oneOf(params: unknown[], column: string, values: readonly string[]): string {
    if (values.length === 0) return "";
    const n = params.push(JSON.stringify(values));
    return this.db.dialect === "postgres"
      ? `AND ${column} IN (SELECT jsonb_array_elements_text(($${n}::text)::jsonb))`
      : `AND ${column} IN (SELECT value FROM json_each($${n}))`;
  }

  /**
   * `rows` (each a value per column, in `columns`' order) as a table `v` of those columns and `n`, the
   * row's position: on PostgreSQL one array parameter per column (unnest), on SQLite one JSON parameter
   * (json_each). Either way the statement's text depends on the columns alone, never on how many rows.
   */
  private rowsTable(params: unknown[], columns: readonly Column[], rows: readonly unknown[][]): string {
    if (this.db.dialect === "postgres") {
      const arrays = columns.map(([, type], c) => `$${params.push(rows.map((row) => row[c]))}::${type}[]`);
      return `unnest(${arrays.join(", ")}) WITH ORDINALITY AS v(${columns.map(([name]) => name).join(", ")}, n)`;
    }
    const values = columns.map(([name], c) => `value ->> ${c} AS ${name}`).join(", ");
    return `(SELECT ${values}, key AS n FROM json_each($${params.push(JSON.stringify(rows))})) AS v`;
  }

  async claim(
    workerId: string,
    leaseSeconds: number,
    kinds: readonly string[],
    leaseTokenHashes: readonly string[],
    now: Date,
    queues: readonly string[] = [],
  ): Promise<Job[]> {
    if (leaseTokenHashes.length === 0) return [];
    const rows = await this.db.write<JobRow>(
      ...this.claimStatement(workerId, leaseSeconds, kinds, leaseTokenHashes, now, queues),
    );
    return rows
      .map(toJob)
      .sort((a, b) => b.priority - a.priority || a.runAfter.getTime() - b.runAfter.getTime() || a.id - b.id);
  }

  /**
   * The claim's one statement and its parameters (public so a test can read its query plan). Candidates
   * are read in claim order (priority DESC, run_after, id), so the scan stops at the LIMIT-th runnable
   * row and its cost grows neither with history (never PENDING) nor with other kinds' backlogs: for each
   * kind (the given ones, or every kind with PENDING jobs) it reads that kind's stretch of
   * jobs_claimable_by_kind, and takes the first LIMIT of the kinds' candidates. PostgreSQL then updates
   * the rows it locked where it found them (by ctid, their TID): looked up again by id beside `status =
   * 'PENDING'`, the planner could take a partial index on status and read every PENDING row, as it did
   * without statistics. The candidates are locked and SQLite has one writer, so their status holds.
   */
  claimStatement(
    workerId: string,
    leaseSeconds: number,
    kinds: readonly string[],
    leaseTokenHashes: readonly string[],
    now: Date,
    queues: readonly string[] = [],
  ): [string, unknown[]] {
    const postgres = this.db.dialect === "postgres";
    const params: unknown[] = [
      workerId,
      now.getTime() + leaseSeconds * 1000,
      now.getTime(),
      JSON.stringify(leaseTokenHashes),
      leaseTokenHashes.length,
    ];
    const queueFilter = this.oneOf(params, "queue", queues);
    const runnable = `status = 'PENDING' AND run_after <= $3 ${queueFilter}
      AND (expires_at IS NULL OR expires_at >= $3 OR started_at IS NOT NULL)`;
    const claimOrder = "ORDER BY priority DESC, run_after, id LIMIT $5";
    // PostgreSQL locks each candidate as it reads it, passing over the rows other claims hold; per kind, it
    // may lock a few rows more than it takes, until the statement ends.
    const lock = postgres ? "FOR UPDATE SKIP LOCKED" : "";
    const [withKinds, each] = this.kindsTable(params, kinds);
    const candidates = postgres
      ? `SELECT c.ctid, c.id, c.priority, c.run_after FROM ${each} CROSS JOIN LATERAL (
           SELECT ctid, id, priority, run_after FROM jobs WHERE kind = k.kind AND ${runnable} ${claimOrder} ${lock}
         ) AS c ORDER BY c.priority DESC, c.run_after, c.id LIMIT $5`
      : `SELECT j.id, j.priority, j.run_after FROM ${each} JOIN jobs AS j ON j.id IN (
           SELECT id FROM ${this.jobsBy("jobs_claimable_by_kind")} WHERE kind = k.kind AND ${runnable} ${claimOrder}
         ) ORDER BY j.priority DESC, j.run_after, j.id LIMIT $5`;
    // The n-th job picked (in claim order) gets the n-th token hash; the caller maps the hashes back to tokens.
    const tokenHash = postgres
      ? "($4::text)::jsonb ->> (SELECT n FROM picked WHERE picked.id = jobs.id)::int"
      : "json_extract($4, '$[' || (SELECT n FROM picked WHERE picked.id = jobs.id) || ']')";
    return [
      `${withKinds ? `${withKinds},` : "WITH"} picked AS (
         SELECT ${postgres ? "ctid, " : ""}id, row_number() OVER (ORDER BY priority DESC, run_after, id) - 1 AS n
         FROM (${candidates}) candidates
       )
       UPDATE jobs SET status = 'RUNNING', worker_id = $1, lease_expires_at = $2, attempts = attempts + 1,
         previous_lease_token_hash = lease_token_hash, lease_token_hash = ${tokenHash},
         started_at = COALESCE(started_at, $3), updated_at = $3, version = version + 1,
         run_deadline = CASE WHEN timeout_seconds > 0 THEN $3 + timeout_seconds * 1000 END
       WHERE ${postgres ? "ctid = ANY(ARRAY(SELECT ctid FROM picked))" : "id IN (SELECT id FROM picked)"}
       RETURNING ${COLUMNS}`,
      params,
    ];
  }

  async createMany(jobs: readonly NewJob[], now: Date): Promise<Job[]> {
    if (jobs.length === 0) return [];
    const rows = await this.db.write<JobRow>(...this.createManyStatement(jobs, now));
    // One statement inserts the rows in order, so their ids ascend in it.
    return rows.map(toJob).sort((a, b) => a.id - b.id);
  }

  /** createMany's one statement and its parameters: every job (none with an idempotency key) inserted, in order, announced. */
  createManyStatement(jobs: readonly NewJob[], now: Date): [string, unknown[]] {
    const t = now.getTime();
    const params: unknown[] = [t];
    const v = this.rowsTable(
      params,
      CREATED_COLUMNS,
      jobs.map((job) => createdValues(job, t)),
    );
    return [
      this.announcing(`INSERT INTO jobs (${CREATED_NAMES}, status, created_at, updated_at)
         SELECT ${CREATED_NAMES}, 'PENDING', $1, $1 FROM ${v} ORDER BY n RETURNING ${COLUMNS}`),
      params,
    ];
  }

  async expiredLeases(now: Date, limit: number): Promise<Job[]> {
    return (await this.db.all<JobRow>(...this.sweepStatements(now, limit).expiredLeases)).map(toJob);
  }

  async timedOutRuns(now: Date, limit: number): Promise<Job[]> {
    return (await this.db.all<JobRow>(...this.sweepStatements(now, limit).timedOutRuns)).map(toJob);
  }

  async expiredPending(now: Date, limit: number): Promise<Job[]> {
    return (await this.db.all<JobRow>(...this.sweepStatements(now, limit).expiredPending)).map(toJob);
  }

  /**
   * The sweeps' statements (public so a test can read their plans): each reads the RUNNING or PENDING
   * jobs it is about through jobs_leases, jobs_run_deadlines or jobs_expiring, never the history.
   */
  sweepStatements(
    now: Date,
    limit: number,
  ): Record<"expiredLeases" | "timedOutRuns" | "expiredPending", [string, unknown[]]> {
    const params = [now.getTime(), limit];
    return {
      expiredLeases: [
        `SELECT ${COLUMNS} FROM ${this.jobsBy("jobs_leases")} WHERE status = 'RUNNING' AND lease_expires_at < $1
         ORDER BY id LIMIT $2`,
        params,
      ],
      timedOutRuns: [
        `SELECT ${COLUMNS} FROM ${this.jobsBy("jobs_run_deadlines")} WHERE status = 'RUNNING' AND run_deadline < $1
         ORDER BY run_deadline, id LIMIT $2`,
        params,
      ],
      expiredPending: [
        `SELECT ${COLUMNS} FROM ${this.jobsBy("jobs_expiring")} WHERE status = 'PENDING' AND expires_at < $1 AND started_at IS NULL
         ORDER BY expires_at, id LIMIT $2`,
        params,
      ],
    };
  }

  async countByKindAndStatus(owner?: string): Promise<StatusCount[]> {
    const rows = await this.db.all<{ kind: string; queue: string; status: JobStatus; n: unknown; oldest: unknown }>(
      ...this.countStatement(owner),
    );
    return rows.map((row) => ({
      kind: row.kind,
      queue: row.queue,
      status: row.status,
      count: Number(row.n),
      oldestCreatedAt: date(row.oldest),
    }));
  }

  /** The counts' statement and parameters (public so a test can read its query plan: jobs_stats alone). */
  countStatement(owner?: string): [string, unknown[]] {
    return [
      `SELECT kind, queue, status, COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs
       ${owner === undefined ? "" : "WHERE owner = $1"} GROUP BY status, kind, queue`,
      owner === undefined ? [] : [owner],
    ];
  }

  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    return (await this.db.all(...this.retentionStatement(cutoff, limit))).length;
  }

  /** deleteFinishedBefore's statement (public so a test can read its plan): the oldest finished jobs, from jobs_finished. */
  retentionStatement(cutoff: Date, limit: number): [string, unknown[]] {
    // The outer conditions repeat the inner ones: PostgreSQL re-checks them on a row another transaction changed
    // meanwhile (re-run).
    return [
      `DELETE FROM jobs WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND finished_at < $1 AND id IN (
         SELECT id FROM ${this.jobsBy("jobs_finished")} WHERE finished_at < $1 AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
         ORDER BY finished_at, id LIMIT $2
       ) RETURNING id`,
      [cutoff.getTime(), limit],
    ];
  }
}
