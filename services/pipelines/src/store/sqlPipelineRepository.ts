// Pipelines and their steps in SQL, the same statements on SQLite and PostgreSQL.
import { isUniqueViolation, type Db, type PageRequest } from "@platform/kit";
import {
  isFinalStep,
  type NewPipeline,
  type Pipeline,
  type PipelineStatus,
  type Step,
  type StepStatus,
} from "../domain/pipeline";
import type { PipelineRepository } from "./pipelineRepository";

interface PipelineRow {
  id: unknown;
  pipeline_name: string;
  status: PipelineStatus;
  request_id: string;
  created_at: unknown;
  updated_at: unknown;
  version: unknown;
  owner: string;
  idempotency_key: string | null;
  request_hash: string | null;
  parameters: string | null;
  retries: unknown;
  rerun_of: unknown;
  templated: unknown;
}

interface StepRow {
  pipeline_id: unknown;
  name: string;
  kind: string;
  payload: string | null;
  depends_on: string;
  status: StepStatus;
  job_id: unknown;
  error: string | null;
}

const COLUMNS =
  "id, pipeline_name, status, request_id, created_at, updated_at, version, owner, idempotency_key, request_hash, parameters, retries, rerun_of, templated";
const STEP_COLUMNS = "pipeline_id, name, kind, payload, depends_on, status, job_id, error";

const toStep = (row: StepRow): Step => ({
  name: row.name,
  kind: row.kind,
  payload: row.payload,
  dependsOn: JSON.parse(row.depends_on) as string[],
  status: row.status,
  jobId: row.job_id === null ? null : Number(row.job_id),
  error: row.error,
});

const toPipeline = (row: PipelineRow, steps: Step[]): Pipeline => ({
  id: Number(row.id),
  name: row.pipeline_name,
  status: row.status,
  steps,
  requestId: row.request_id,
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
  version: Number(row.version),
  owner: row.owner,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  parameters: row.parameters,
  retries: Number(row.retries),
  rerunOf: row.rerun_of === null ? null : Number(row.rerun_of),
  templated: Number(row.templated) === 1,
});

export class SqlPipelineRepository implements PipelineRepository {
  constructor(private readonly db: Db) {}

  async create(
    pipeline: NewPipeline,
    requestHash: string | null,
    requestId: string,
    now: Date,
  ): Promise<{ pipeline: Pipeline; created: boolean }> {
    try {
      return { pipeline: await this.insert(pipeline, requestHash, requestId, now), created: true };
    } catch (error) {
      // The key's first pipeline, read after the failed transaction is over (PostgreSQL aborts it).
      if (!isUniqueViolation(error) || pipeline.idempotencyKey === null) throw error;
      const existing = await this.db.get<{ id: unknown }>(
        "SELECT id FROM pipelines WHERE owner = $1 AND idempotency_key = $2",
        [pipeline.owner, pipeline.idempotencyKey],
      );
      const first = existing && (await this.get(Number(existing.id)));
      if (!first) throw error;
      return { pipeline: first, created: false };
    }
  }

  private insert(pipeline: NewPipeline, requestHash: string | null, requestId: string, now: Date): Promise<Pipeline> {
    const t = now.getTime();
    return this.db.transaction(async (tx) => {
      const row = await tx.get<PipelineRow>(
        `INSERT INTO pipelines (pipeline_name, status, active, request_id, created_at, updated_at, owner, idempotency_key, request_hash, parameters, rerun_of, templated)
         VALUES ($1, 'PENDING', $2, $3, $4, $4, $5, $6, $7, $8, $9, 1) RETURNING ${COLUMNS}`,
        [
          pipeline.name,
          pipeline.steps.length > 0 ? 1 : 0,
          requestId,
          t,
          pipeline.owner,
          pipeline.idempotencyKey,
          pipeline.idempotencyKey === null ? null : requestHash,
          pipeline.parameters ?? null,
          pipeline.rerunOf ?? null,
        ],
      );
      const id = Number(row!.id);
      for (const [position, step] of pipeline.steps.entries()) {
        await tx.all(
          `INSERT INTO pipeline_steps (pipeline_id, position, name, kind, payload, depends_on, status) VALUES ($1, $2, $3, $4, $5, $6, 'WAITING')`,
          [id, position, step.name, step.kind, step.payload, JSON.stringify(step.dependsOn)],
        );
      }
      const steps: Step[] = pipeline.steps.map((s) => ({ ...s, status: "WAITING", jobId: null, error: null }));
      return toPipeline(row!, steps);
    });
  }

  async get(id: number): Promise<Pipeline | undefined> {
    const row = await this.db.get<PipelineRow>(`SELECT ${COLUMNS} FROM pipelines WHERE id = $1`, [id]);
    if (!row) return undefined;
    const steps = await this.db.all<StepRow>(
      `SELECT ${STEP_COLUMNS} FROM pipeline_steps WHERE pipeline_id = $1 ORDER BY position`,
      [id],
    );
    return toPipeline(row, steps.map(toStep));
  }

  async listAfter({ afterId, limit }: PageRequest, status?: PipelineStatus, owner?: string): Promise<Pipeline[]> {
    const params: unknown[] = [afterId, limit + 1];
    const where = ["id > $1"];
    if (status) where.push(`status = $${params.push(status)}`);
    if (owner !== undefined) where.push(`owner = $${params.push(owner)}`);
    const rows = await this.db.all<PipelineRow>(
      `SELECT ${COLUMNS} FROM pipelines WHERE ${where.join(" AND ")} ORDER BY id LIMIT $2`,
      params,
    );
    if (rows.length === 0) return [];
    const first = Number(rows[0]!.id);
    const last = Number(rows.at(-1)!.id);
    const steps = await this.db.all<StepRow>(
      `SELECT ${STEP_COLUMNS} FROM pipeline_steps WHERE pipeline_id >= $1 AND pipeline_id <= $2 ORDER BY pipeline_id, position`,
      [first, last],
    );
    const byPipeline = new Map<number, Step[]>();
    for (const step of steps) {
      const id = Number(step.pipeline_id);
      byPipeline.set(id, [...(byPipeline.get(id) ?? []), toStep(step)]);
    }
    return rows.map((row) => toPipeline(row, byPipeline.get(Number(row.id)) ?? []));
  }

  async save(pipeline: Pipeline, stored?: readonly Step[]): Promise<boolean> {
    const active = pipeline.steps.some((s) => !isFinalStep(s.status)) ? 1 : 0;
    // The version's rows are `stored` (the compare-and-set below guarantees it): a step equal to its row is not written.
    const unchanged = new Set(stored?.map((step) => JSON.stringify(step)));
    const changed = pipeline.steps.filter((step) => !unchanged.has(JSON.stringify(step)));
    const saved = await this.db.transaction(async (tx) => {
      // Compare-and-set: a save over a version someone else has saved since is refused,
      // so no replica's stale view (a cancellation included) is ever written back.
      const row = await tx.get<{ version: unknown }>(
        "UPDATE pipelines SET status = $2, active = $3, updated_at = $4, version = version + 1 WHERE id = $1 AND version = $5 RETURNING version",
        [pipeline.id, pipeline.status, active, pipeline.updatedAt.getTime(), pipeline.version],
      );
      if (!row) return undefined;
      for (const step of changed) {
        await tx.all(
          "UPDATE pipeline_steps SET status = $3, job_id = $4, error = $5 WHERE pipeline_id = $1 AND name = $2",
          [pipeline.id, step.name, step.status, step.jobId, step.error],
        );
      }
      return Number(row.version);
    });
    if (saved === undefined) return false;
    pipeline.version = saved;
    return true;
  }

  async saveRetry(pipeline: Pipeline): Promise<boolean> {
    const saved = await this.db.transaction(async (tx) => {
      const row = await tx.get<{ version: unknown }>(
        "UPDATE pipelines SET status = $2, active = 1, updated_at = $3, retries = $4, version = version + 1 WHERE id = $1 AND version = $5 RETURNING version",
        [pipeline.id, pipeline.status, pipeline.updatedAt.getTime(), pipeline.retries, pipeline.version],
      );
      if (!row) return undefined;
      for (const step of pipeline.steps) {
        await tx.all(
          "UPDATE pipeline_steps SET status = $3, job_id = $4, error = $5 WHERE pipeline_id = $1 AND name = $2",
          [pipeline.id, step.name, step.status, step.jobId, step.error],
        );
      }
      return Number(row.version);
    });
    if (saved === undefined) return false;
    pipeline.version = saved;
    return true;
  }

  async claim(id: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const row = await this.db.get(
      "UPDATE pipelines SET lease_owner = $2, lease_expires_at = $3 WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at <= $4) RETURNING id",
      [id, owner, now + leaseMs, now],
    );
    return row !== undefined;
  }

  async release(id: number, owner: string): Promise<void> {
    await this.db.all(
      "UPDATE pipelines SET lease_owner = NULL, lease_expires_at = 0 WHERE id = $1 AND lease_owner = $2",
      [id, owner],
    );
  }

  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      // Final and settled (active = 0: no step's job may still run). On PostgreSQL the rows stay locked
      // until the end, so a concurrent save (one that would make the pipeline active again) waits and
      // then finds nothing, or holds the row and is skipped here.
      const lock = tx.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
      const rows = await tx.all<{ id: unknown }>(
        `SELECT id FROM pipelines WHERE active = 0 AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND updated_at < $1
         ORDER BY updated_at, id LIMIT $2${lock}`,
        [cutoff.getTime(), limit],
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => Number(row.id));
      const list = ids.map((_, i) => `$${i + 1}`).join(", ");
      await tx.all(`DELETE FROM pipeline_steps WHERE pipeline_id IN (${list})`, ids);
      return (await tx.all(`DELETE FROM pipelines WHERE id IN (${list}) RETURNING id`, ids)).length;
    });
  }

  async activeIds(): Promise<number[]> {
    const rows = await this.db.all<{ id: unknown }>("SELECT id FROM pipelines WHERE active = 1 ORDER BY id LIMIT 1000");
    return rows.map((r) => Number(r.id));
  }
}
