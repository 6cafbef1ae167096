// The pipeline store's data columns (migration 6) on SQLite and PostgreSQL:
// parameters and rerun_of round-trip, pipelines from before it read as having
// none, and saveRetry is a compare-and-set that writes the retry count and
// makes the pipeline active again.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { retryPipeline } from "../domain/pipeline";
import { PIPELINES_MIGRATIONS } from "./migrations";
import { SqlPipelineRepository } from "./sqlPipelineRepository";

setDefaultTimeout(30_000);

const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
});

const openDb = async (backend: (typeof TEST_BACKENDS)[number]) => {
  const db = openDatabase("pipelines", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 4 });
  open.push(db);
  return db;
};

describe.each(TEST_BACKENDS)("pipeline data in the store on %s", (backend) => {
  test("pipelines from before migration 6 have no parameters, no retries and no source", async () => {
    const db = await openDb(backend);
    await migrate(
      db,
      "pipelines",
      PIPELINES_MIGRATIONS.filter((m) => m.version < 6),
    );
    await db.all(
      "INSERT INTO pipelines (id, pipeline_name, status, active, request_id, created_at, updated_at) VALUES (1, 'old', 'FAILED', 0, 'r', 1, 1)",
    );
    expect(await migrate(db, "pipelines", PIPELINES_MIGRATIONS)).toEqual([6]);
    expect(await new SqlPipelineRepository(db).get(1)).toMatchObject({
      parameters: null,
      retries: 0,
      rerunOf: null,
      templated: false,
    });
  });

  test("parameters and rerun_of round-trip; saveRetry writes the retry and refuses a stale version", async () => {
    const db = await openDb(backend);
    await migrate(db, "pipelines", PIPELINES_MIGRATIONS);
    const repository = new SqlPipelineRepository(db);
    const { pipeline } = await repository.create(
      {
        name: "p",
        owner: "alice",
        steps: [{ name: "a", kind: "echo", payload: '{"r":"{{ params.r }}"}', dependsOn: [] }],
        idempotencyKey: null,
        parameters: '{"r":"eu"}',
        rerunOf: 41,
      },
      null,
      "request-1",
      new Date(1_000),
    );
    expect(pipeline).toMatchObject({ parameters: '{"r":"eu"}', rerunOf: 41, retries: 0, templated: true });
    expect(await repository.get(pipeline.id)).toMatchObject({ parameters: '{"r":"eu"}', rerunOf: 41, retries: 0 });

    const failed = (await repository.get(pipeline.id))!;
    failed.status = "FAILED";
    failed.steps[0] = { ...failed.steps[0]!, status: "FAILED", jobId: 9, error: "it broke" };
    expect(await repository.save(failed)).toBe(true);
    expect(await repository.activeIds()).not.toContain(pipeline.id);

    const stale = (await repository.get(pipeline.id))!;
    expect(await repository.saveRetry(retryPipeline(failed, new Date(2_000)))).toBe(true);
    expect(await repository.saveRetry(retryPipeline(stale, new Date(3_000)))).toBe(false);
    const stored = (await repository.get(pipeline.id))!;
    expect(stored).toMatchObject({ status: "RUNNING", retries: 1, version: failed.version + 1 });
    expect(stored.steps[0]).toMatchObject({ status: "WAITING", jobId: null, error: null });
    expect(await repository.activeIds()).toContain(pipeline.id);
  });
});
