// Test fixture: a fresh pipelines database of the given backend, migrated, and
// the SQL repository over it. Test code only.
import { migrate, openDatabase, type Db } from "@platform/kit";
import { createTestDatabaseUrl, type Backend } from "@platform/kit/testing/db";
import { PIPELINES_MIGRATIONS } from "./migrations";
import { SqlPipelineRepository } from "./sqlPipelineRepository";

export async function openTestStore(backend: Backend): Promise<{ db: Db; repository: SqlPipelineRepository }> {
  const db = openDatabase("pipelines", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 8 });
  await migrate(db, "pipelines", PIPELINES_MIGRATIONS);
  return { db, repository: new SqlPipelineRepository(db) };
}
