// The console's views read indexes, not the table, on SQLite and PostgreSQL (migration 7):
// ListJobs filtered by kind and queue walks jobs_by_kind_queue (kind, queue, id) in id order,
// and the per-(kind, queue) counts come from jobs_stats (status, kind, queue, created_at)
// alone. Asserted on query plans, never on time.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { JOBS_MIGRATIONS } from "./migrations";
import { SqlJobRepository } from "./sqlJobRepository";

setDefaultTimeout(120_000);

const COUNT = 20_000;

/** COUNT jobs over 20 kinds, each in two queues, in every status, straight into the table. */
async function insertJobs(db: Db): Promise<void> {
  const numbers =
    db.dialect === "postgres"
      ? `SELECT n FROM generate_series(1, ${COUNT}) AS n`
      : `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${COUNT}) SELECT n FROM s`;
  await db.all(
    `INSERT INTO jobs (job_name, kind, queue, status, max_attempts, created_at, updated_at, run_after, owner)
     SELECT 'j', 'kind' || CAST(n % 20 AS TEXT), CASE WHEN n % 7 = 0 THEN 'rush' ELSE 'default' END,
       CASE (n / 20) % 5 WHEN 0 THEN 'PENDING' WHEN 1 THEN 'RUNNING' WHEN 2 THEN 'SUCCEEDED' WHEN 3 THEN 'FAILED' ELSE 'CANCELLED' END,
       1, n, n, n, 'tester'
     FROM (${numbers}) AS numbers`,
  );
  await db.all("ANALYZE jobs");
}

interface PgNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PgNode[];
}
const nodes = (node: PgNode): PgNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe.each(TEST_BACKENDS)("view query plans on %s", (backend) => {
  let db: Db;
  let repository: SqlJobRepository;
  beforeAll(async () => {
    db = openDatabase("jobs", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 2 });
    await migrate(db, "jobs", JOBS_MIGRATIONS);
    repository = new SqlJobRepository(db);
    await insertJobs(db);
  });
  afterAll(() => db.close());

  const sqlitePlan = async ([sql, params]: [string, unknown[]]) =>
    (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
  const pgPlan = async ([sql, params]: [string, unknown[]]) => {
    const [row] = await db.all<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const json = row!["QUERY PLAN"];
    return nodes((typeof json === "string" ? JSON.parse(json) : json)[0].Plan as PgNode);
  };

  test("the job list by kind and queue (and status) reads jobs_by_kind_queue in id order", async () => {
    for (const filter of [
      { kind: "kind3", queue: "rush" },
      { kind: "kind3", queue: "rush", status: "FAILED" as const },
    ]) {
      const statement = repository.listStatement({ afterId: 0, limit: 50 }, filter);
      if (backend === "sqlite") {
        const plan = await sqlitePlan(statement);
        expect(plan.some((d) => /SEARCH jobs USING INDEX jobs_by_kind_queue \(kind=\? AND queue=\?/.test(d))).toBe(
          true,
        );
        expect(plan.filter((d) => d.includes("TEMP B-TREE"))).toEqual([]);
      } else {
        const plan = await pgPlan(statement);
        expect(plan.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
        if ("status" in filter) {
          // With a status too, jobs_stats (status, kind, queue, ...) finds exactly the matching rows (then sorted) as well.
          expect(["jobs_by_kind_queue", "jobs_stats"]).toEqual(
            expect.arrayContaining(plan.map((n) => n["Index Name"]).filter(Boolean)),
          );
        } else {
          expect(plan.map((n) => n["Index Name"]).filter(Boolean)).toEqual(["jobs_by_kind_queue"]);
          expect(plan.some((n) => n["Node Type"] === "Sort")).toBe(false);
        }
      }
    }
    const jobs = await repository.listAfter({ afterId: 0, limit: 50 }, { kind: "kind3", queue: "rush" });
    expect(jobs.length).toBe(51);
    expect(jobs.every((j) => j.kind === "kind3" && j.queue === "rush")).toBe(true);
    expect(jobs.map((j) => j.id)).toEqual(jobs.map((j) => j.id).sort((a, b) => a - b));
  });

  test("the counts per kind, queue and status come from jobs_stats alone (SQLite); they add up", async () => {
    if (backend === "sqlite") {
      const plan = await sqlitePlan(repository.countStatement());
      expect(plan.some((d) => /SCAN jobs USING COVERING INDEX jobs_stats/.test(d))).toBe(true);
      expect(plan.filter((d) => d.includes("TEMP B-TREE"))).toEqual([]);
    }
    const counts = await repository.countByKindAndStatus();
    expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(COUNT);
    expect(counts.length).toBe(20 * 2 * 5);
    const rushFailed = counts.find((c) => c.kind === "kind3" && c.queue === "rush" && c.status === "FAILED");
    let expected = 0;
    for (let n = 1; n <= COUNT; n++) if (n % 20 === 3 && n % 7 === 0 && Math.floor(n / 20) % 5 === 3) expected++;
    expect(rushFailed?.count).toBe(expected);
  });
});
