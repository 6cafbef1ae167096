// Migration 2 on a database with pipelines from before ownership: every row is
// kept and belongs to the admin.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { PIPELINES_MIGRATIONS } from "./migrations";
import { SqlPipelineRepository } from "./sqlPipelineRepository";

setDefaultTimeout(30_000);

const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
});

describe.each(TEST_BACKENDS)("pipelines migrations on %s", (backend) => {
  test("pipelines from migration 1 are owned by 'admin' after migration 2, steps intact", async () => {
    const db = openDatabase("pipelines", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 2 });
    open.push(db);
    expect(
      await migrate(
        db,
        "pipelines",
        PIPELINES_MIGRATIONS.filter((m) => m.version === 1),
      ),
    ).toEqual([1]);
    await db.all(
      "INSERT INTO pipelines (id, pipeline_name, status, active, request_id, created_at, updated_at) VALUES (1, 'old', 'RUNNING', 1, 'r', 1, 1)",
    );
    await db.all(
      "INSERT INTO pipelines (id, pipeline_name, status, active, request_id, created_at, updated_at) VALUES (2, 'older', 'SUCCEEDED', 0, 'r', 1, 1)",
    );
    await db.all(
      "INSERT INTO pipeline_steps (pipeline_id, position, name, kind, payload, depends_on, status, job_id) VALUES (1, 0, 'a', 'echo', NULL, '[]', 'RUNNING', 9)",
    );
    expect(await migrate(db, "pipelines", PIPELINES_MIGRATIONS)).toContain(2);

    const repository = new SqlPipelineRepository(db);
    const all = await repository.listAfter({ afterId: 0, limit: 10 });
    expect(all.map((p) => [p.name, p.status, p.owner])).toEqual([
      ["old", "RUNNING", "admin"],
      ["older", "SUCCEEDED", "admin"],
    ]);
    expect(all[0]!.steps).toMatchObject([{ name: "a", status: "RUNNING", jobId: 9 }]);
    expect((await repository.listAfter({ afterId: 0, limit: 10 }, undefined, "admin")).length).toBe(2);
    expect(await repository.listAfter({ afterId: 0, limit: 10 }, "RUNNING", "alice")).toEqual([]);
  });
});
