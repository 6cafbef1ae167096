// The claim's cost does not grow with history, on SQLite and on PostgreSQL: with
// 100,000 finished jobs beside a few PENDING ones, the claim statement reads the
// PENDING rows only, through the claim index (status, priority DESC, run_after, id);
// PostgreSQL may take another status index for a handful of PENDING rows, never
// once there is a backlog. Asserted on query plans (and PostgreSQL's buffer
// counts), never on time.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db, type Queryable } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { JOBS_MIGRATIONS } from "./migrations";
import { SqlJobRepository } from "./sqlJobRepository";
import type { NewJob } from "../domain/job";

setDefaultTimeout(120_000);

const NOW = 1_900_000_000_000;
/**
 * The jobs indexes that lead with status or hold only PENDING or RUNNING rows (migrations.ts): read for
 * PENDING jobs, each gives those alone.
 */
const STATUS_LEADING_INDEXES = [
  "jobs_by_status",
  "jobs_stats",
  "jobs_claimable_by_kind",
  "jobs_due_by_kind",
  "jobs_expiring",
  "jobs_run_deadlines",
  "jobs_leases",
];

/** The numbers 1 to `count`, as a query of one column, n. */
const numbers = (db: Db, count: number) =>
  db.dialect === "postgres"
    ? `SELECT n FROM generate_series(1, ${count}) AS n`
    : `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count}) SELECT n FROM s`;

/** `count` ready PENDING jobs of `kind`, the newest due at `newest`, in one statement. */
async function insertBacklog(db: Db, count: number, kind: string, newest: number): Promise<void> {
  await db.all(
    `INSERT INTO jobs (job_name, kind, status, max_attempts, created_at, updated_at, run_after, owner)
     SELECT 'backlog', $1, 'PENDING', 3, $2 - n, $2 - n, $2 - n, 'tester' FROM (${numbers(db, count)}) AS numbers`,
    [kind, newest],
  );
}

/** `count` finished jobs (SUCCEEDED, FAILED, CANCELLED in turn) in one statement, straight into the table. */
async function insertFinished(db: Db, count: number, kind: string): Promise<void> {
  await db.all(
    `INSERT INTO jobs (job_name, kind, status, max_attempts, attempts, created_at, updated_at, started_at, finished_at, run_after, owner)
     SELECT 'old', $1, CASE n % 3 WHEN 0 THEN 'SUCCEEDED' WHEN 1 THEN 'FAILED' ELSE 'CANCELLED' END, 1, 1,
       $2 - n, $2 - n, $2 - n, $2 - n, $2 - n, 'tester'
     FROM (${numbers(db, count)}) AS numbers`,
    [kind, NOW],
  );
  if (db.dialect === "postgres") await db.all("ANALYZE jobs");
}

async function insertPending(db: Db, count: number, kind: string): Promise<void> {
  for (let i = 0; i < count; i++)
    await db.all(
      `INSERT INTO jobs (job_name, kind, status, max_attempts, created_at, updated_at, run_after, owner)
       VALUES ('ready', $1, 'PENDING', 3, $2, $2, $2, 'tester')`,
      [kind, NOW - 1_000 + i],
    );
}

interface PgNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  "Subplan Name"?: string;
  Plans?: PgNode[];
}
const nodes = (node: PgNode): PgNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** PostgreSQL: the root of a statement's plan under EXPLAIN (`options`, JSON among them). */
async function pgPlan(q: Queryable, options: string, sql: string, params: unknown[]): Promise<PgNode> {
  const [row] = await q.all<{ "QUERY PLAN": unknown }>(`EXPLAIN (${options}) ${sql}`, params);
  const json = row!["QUERY PLAN"];
  return (typeof json === "string" ? JSON.parse(json) : json)[0].Plan as PgNode;
}

describe.each(TEST_BACKENDS)("claim cost with a long history on %s", (backend) => {
  let db: Db;
  let repository: SqlJobRepository;
  beforeAll(async () => {
    db = openDatabase("jobs", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 2 });
    await migrate(db, "jobs", JOBS_MIGRATIONS);
    repository = new SqlJobRepository(db);
  });
  afterAll(() => db.close());

  /** The claim of up to 10 jobs (of `kinds`, when given) as the store runs it. */
  const statement = (kinds: string[]) =>
    repository.claimStatement(
      "w",
      30,
      kinds,
      Array.from({ length: 10 }, (_, i) => `hash${i}`),
      new Date(NOW),
    );

  /** SQLite: the details of a statement's query plan. */
  const sqlitePlan = async ([sql, params]: [string, unknown[]]) =>
    (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);

  /** PostgreSQL: the indexes a (read-only) statement's plan reads. */
  const pgIndexes = async ([sql, params]: [string, unknown[]]) =>
    nodes(await pgPlan(db, "FORMAT JSON", sql, params)).flatMap((node) => node["Index Name"] ?? []);

  /** PostgreSQL: the claim run (and rolled back) under EXPLAIN (ANALYZE, BUFFERS): its plan's nodes and buffers. */
  async function pgCost(kinds: string[]) {
    const [sql, params] = statement(kinds);
    let plan: PgNode | undefined;
    await db
      .transaction(async (tx) => {
        plan = await pgPlan(tx, "ANALYZE, BUFFERS, FORMAT JSON", sql, params);
        throw new Error("roll back");
      })
      .catch(() => {});
    const all = nodes(plan!);
    const buffers = (node: PgNode) => node["Shared Hit Blocks"] + node["Shared Read Blocks"];
    const candidates = all.find((n) => n["Subplan Name"] === "CTE picked")!;
    return {
      /** Everything, the update's index maintenance included (that grows with the B-trees' depth only). */
      buffers: buffers(plan!),
      /** Choosing the jobs to lease. */
      candidateBuffers: buffers(candidates),
      candidateIndexes: nodes(candidates)
        .map((n) => n["Index Name"])
        .filter(Boolean),
      jobsRowsRead: all
        .filter((n) => n["Relation Name"] === "jobs")
        .reduce((sum, n) => sum + (n["Actual Rows"] + (n["Rows Removed by Filter"] ?? 0)) * n["Actual Loops"], 0),
      seqScans: all.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "jobs").length,
      /** How the UPDATE finds the rows it leases: the plan under ModifyTable that reads jobs. */
      targetScans: nodes(plan!.Plans!.find((n) => n["Subplan Name"] === undefined)!)
        .filter((n) => n["Relation Name"] === "jobs" && n["Subplan Name"] === undefined)
        .map((n) => n["Node Type"]),
    };
  }

  test("the claim reads the claim index, and PostgreSQL's buffers and rows stay flat from 1k to 100k finished jobs", async () => {
    await insertPending(db, 20, "work");
    await insertPending(db, 5, "other");
    await insertFinished(db, 1_000, "work");
    if (backend === "sqlite") {
      // The candidates come from the claim index in its order, and no step scans the table: each kind's
      // stretch of jobs_claimable_by_kind, sorting only what those gave (at most LIMIT per kind). A claim of
      // any kind first finds the kinds with PENDING jobs, one seek each in the same index.
      const anyKind = await sqlitePlan(statement([]));
      expect(anyKind.some((d) => /INDEX jobs_claimable_by_kind \(kind>\?\)/.test(d))).toBe(true);
      const ofKinds = await sqlitePlan(statement(["work"]));
      for (const plan of [anyKind, ofKinds]) {
        expect(plan.some((d) => /INDEX jobs_claimable_by_kind \(kind=\?\)/.test(d))).toBe(true);
        expect(plan.filter((d) => /^SCAN jobs\b/.test(d) || /jobs_by_status \(status=\?\)/.test(d))).toEqual([]);
      }
      await insertFinished(db, 99_000, "work");
      const plan = await sqlitePlan(statement(["work"]));
      expect(plan.some((d) => d.includes("jobs_claimable_by_kind"))).toBe(true);
      expect(plan.filter((d) => /^SCAN jobs\b/.test(d))).toEqual([]);
    } else {
      const small = { any: await pgCost([]), work: await pgCost(["work"]) };
      await insertFinished(db, 99_000, "work");
      const large = { any: await pgCost([]), work: await pgCost(["work"]) };
      for (const key of ["any", "work"] as const) {
        expect(large[key].seqScans).toBe(0);
        // The candidates come from an index on status, so history (never PENDING) is not read. Which
        // status-leading index the planner takes for 25 PENDING rows turns on its sampled statistics (the
        // claim index, or jobs_run_deadlines and a sort of 25 rows: both flat, as the rows and buffers
        // below hold); with a backlog it must be the claim index, read in order (the next test).
        expect(large[key].candidateIndexes.length).toBeGreaterThan(0);
        for (const index of large[key].candidateIndexes) expect(STATUS_LEADING_INDEXES).toContain(index!);
        // Rows of jobs read: the PENDING ones (at most 25) and the 10 updated, never the history.
        expect(large[key].jobsRowsRead).toBeLessThanOrEqual(60);
        // Choosing the jobs: a few index and heap pages, whatever the history (a deeper B-tree adds one or two).
        expect(large[key].candidateBuffers).toBeLessThanOrEqual(small[key].candidateBuffers + 5);
        expect(large[key].candidateBuffers).toBeLessThan(50);
        // All of it, the writes to a dozen indexes included: grows with their depth, far from a scan's 1,000+ pages.
        expect(large[key].buffers).toBeLessThan(2 * small[key].buffers);
      }
    }
    // And the claim itself takes the ready jobs, not history.
    const claimed = await repository.claim("w", 30, ["work"], ["a", "b", "c"], new Date(NOW));
    expect(claimed.map((job) => job.status)).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
  });

  test("the sweeps read the RUNNING or PENDING jobs they are about, never the history", async () => {
    const SWEEP_INDEXES: Record<string, string> = {
      expiredLeases: "jobs_leases",
      timedOutRuns: "jobs_run_deadlines",
      expiredPending: "jobs_expiring",
    };
    for (const [sweep, statement_] of Object.entries(repository.sweepStatements(new Date(NOW), 100))) {
      const indexes =
        backend === "sqlite"
          ? (await sqlitePlan(statement_)).flatMap(
              (d) => /INDEX (\w+)/.exec(d)?.[1] ?? (/^SCAN jobs\b/.test(d) ? ["a scan of jobs"] : []),
            )
          : await pgIndexes(statement_);
      expect({ sweep, read: indexes.filter((index) => !STATUS_LEADING_INDEXES.includes(index)) }).toEqual({
        sweep,
        read: [],
      });
      expect(indexes.length).toBeGreaterThan(0);
      // SQLite is told its index; a backlog of PENDING jobs is not read to find the few past expires_at.
      if (backend === "sqlite") expect({ sweep, indexes }).toEqual({ sweep, indexes: [SWEEP_INDEXES[sweep]!] });
    }
  });

  test("retention reads the oldest finished jobs in jobs_finished, which holds finished jobs only", async () => {
    const statement_ = repository.retentionStatement(new Date(NOW - 50_000), 100);
    const indexes =
      backend === "sqlite"
        ? (await sqlitePlan(statement_)).flatMap((d) => /INDEX (\w+)/.exec(d)?.[1] ?? [])
        : await pgIndexes(statement_);
    expect(indexes).toContain("jobs_finished");
  });

  test.skipIf(backend === "sqlite")(
    "with a backlog, PostgreSQL reads the claim index in order: 10 of 5,000 PENDING rows, no sort of them",
    async () => {
      await db.all(
        `INSERT INTO jobs (job_name, kind, status, max_attempts, created_at, updated_at, run_after, owner)
         SELECT 'backlog', 'work', 'PENDING', 3, $1 - n, $1 - n, $1 - n, 'tester' FROM generate_series(1, 5000) AS n`,
        [NOW],
      );
      await db.all("ANALYZE jobs");
      for (const kinds of [[], ["work"]]) {
        const cost = await pgCost(kinds);
        expect([...new Set(cost.candidateIndexes)]).toEqual(["jobs_claimable_by_kind"]);
        expect(cost.seqScans).toBe(0);
        // The leased rows are updated where the candidates' scan found them (by TID), never looked up again
        // through an index on status whose every PENDING row the planner would read.
        expect(cost.targetScans).toEqual(["Tid Scan"]);
        // Another status index would read every PENDING row and sort them: 5,000 rows, not a few dozen.
        expect(cost.jobsRowsRead).toBeLessThanOrEqual(60);
      }
    },
  );

  test("another kind's backlog is not read: neither by a claim of one kind nor by an empty one, nor by its wait", async () => {
    // 5,000 ready jobs of one kind, all ahead of the 3 of another in claim order (older, same priority).
    await insertBacklog(db, 5_000, "bulk", NOW - 1_000_000);
    await insertPending(db, 3, "mail");
    if (backend === "sqlite") {
      for (const kinds of [["mail"], ["idle"], ["idle", "mail"], []]) {
        const plan = await sqlitePlan(statement(kinds));
        expect(plan.some((d) => /INDEX jobs_claimable_by_kind \(kind=\?\)/.test(d))).toBe(true);
        expect(plan.filter((d) => /^SCAN jobs\b/.test(d) || /jobs_by_status \(status=\?\)/.test(d))).toEqual([]);
      }
    } else {
      await db.all("ANALYZE jobs");
      for (const kinds of [["mail"], ["idle"], ["idle", "mail"]]) {
        const cost = await pgCost(kinds);
        expect(cost.seqScans).toBe(0);
        // The kinds' own rows (3) and the updated ones, not the 5,000 of the other kind.
        expect(cost.jobsRowsRead).toBeLessThanOrEqual(20);
      }
      // Of any kind: the first LIMIT of each kind with PENDING jobs, not all of them.
      expect((await pgCost([])).jobsRowsRead).toBeLessThanOrEqual(100);
    }
    // The wait of an empty claim: the next due job of its kinds (or of every kind with PENDING jobs), from
    // each kind's stretch of jobs_due_by_kind.
    for (const kinds of [["idle", "mail"], []]) {
      const waitPlan =
        backend === "sqlite"
          ? await sqlitePlan(repository.nextRunAfterStatement(kinds, [], new Date(NOW)))
          : await pgIndexes(repository.nextRunAfterStatement(kinds, [], new Date(NOW)));
      expect(waitPlan.join("\n")).toContain("jobs_due_by_kind");
      if (backend === "sqlite")
        expect(waitPlan.filter((d) => /^SCAN jobs\b/.test(d) || /jobs_by_status \(status=\?\)/.test(d))).toEqual([]);
    }
    // And the claims take the right jobs.
    const claimed = await repository.claim("w", 30, ["idle", "mail"], ["a", "b", "c", "d"], new Date(NOW));
    expect(claimed.map((job) => job.kind)).toEqual(["mail", "mail", "mail"]);
    expect(await repository.claim("w", 30, ["idle"], ["a"], new Date(NOW))).toEqual([]);
  });

  test("batch creates and saves are one statement each, the same text for 1 job or 500; a save finds each job by its id", async () => {
    const newJob = (i: number): NewJob => ({
      name: `batch ${i}`,
      kind: "batch",
      payload: i % 2 ? null : `{"i":${i}}`,
      maxAttempts: 3,
      idempotencyKey: null,
      owner: "tester",
      priority: i % 3,
      queue: "default",
      runAt: null,
      expiresAt: null,
      timeoutSeconds: 0,
      backoff: i % 5 ? null : { initialMs: 100, maxMs: null, multiplier: 1.5 },
    });
    const many = Array.from({ length: 500 }, (_, i) => newJob(i));
    const now = new Date(NOW);
    // One text whatever the batch's size: each database prepares it once.
    expect(repository.createManyStatement(many, now)[0]).toBe(repository.createManyStatement(many.slice(0, 1), now)[0]);
    const created = await repository.createMany(many, now);
    expect(created.map((job) => [job.name, job.payload, job.priority, job.backoff])).toEqual(
      many.map((job) => [job.name, job.payload, job.priority, job.backoff]),
    );
    expect(created.map((job) => job.id)).toEqual(created.map((job) => job.id).sort((a, b) => a - b));

    // Beside a history (as the earlier tests leave it, when they ran), the jobs are found by their ids.
    await insertFinished(db, 20_000, "batch-history");
    const ended = created.map((job) => ({ ...job, status: "CANCELLED" as const, finishedAt: now }));
    const [text, params] = repository.saveManyStatement(ended.slice(0, 2));
    expect(repository.saveManyStatement(ended)[0]).toBe(text);
    if (backend === "sqlite") {
      const plan = await sqlitePlan([text, params]);
      expect(plan.some((d) => /^SEARCH jobs USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(d))).toBe(true);
      expect(plan.filter((d) => /^SCAN jobs\b/.test(d))).toEqual([]);
    } else {
      const reads = nodes(await pgPlan(db, "FORMAT JSON", text, params)).filter(
        (n) => n["Relation Name"] === "jobs" && n["Node Type"] !== "ModifyTable",
      );
      expect(reads.map((n) => [n["Node Type"], n["Index Name"]])).toEqual([["Index Scan", "jobs_pkey"]]);
    }
    // Each job is written at its version: one changed meanwhile is left alone, and the others are saved.
    const stale = { ...ended[1]!, version: ended[1]!.version + 1 };
    const saved = await repository.saveMany([ended[0]!, stale, ended[2]!]);
    expect(saved.map((job) => job?.status)).toEqual(["CANCELLED", undefined, "CANCELLED"]);
    expect(saved[0]!.version).toBe(ended[0]!.version + 1);
    expect((await repository.get(stale.id))!.status).toBe("PENDING");
  });
});
