// Pipelines retention, on SQLite and PostgreSQL, with an injected clock: old
// final pipelines with nothing left running go with their steps, in bounded
// batches; active, running and recent ones stay.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { DAY_MS, Retention, type Db } from "@platform/kit";
import { quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { PipelineStatus, StepStatus } from "./domain/pipeline";
import { loadPipelinesConfig } from "./config";
import type { SqlPipelineRepository } from "./store/sqlPipelineRepository";
import { pipelineMetrics } from "./usecases/pipelineMetrics";
import { openTestStore } from "./store/testStore";

setDefaultTimeout(30_000);

test("PIPELINES_RETENTION_DAYS defaults to 30; 0 keeps pipelines forever; negative is refused", () => {
  expect(loadPipelinesConfig({}).PIPELINES_RETENTION_DAYS).toBe(30);
  expect(loadPipelinesConfig({ PIPELINES_RETENTION_DAYS: "0" }).PIPELINES_RETENTION_DAYS).toBe(0);
  expect(() => loadPipelinesConfig({ PIPELINES_RETENTION_DAYS: "-1" })).toThrow();
});

describe.each(TEST_BACKENDS)("pipelines retention on %s", (backend) => {
  let db: Db;
  let repository: SqlPipelineRepository;

  beforeAll(async () => {
    ({ db, repository } = await openTestStore(backend));
  });
  afterAll(() => db.close());

  const T0 = new Date("2026-01-01T00:00:00Z");
  /** A two-step pipeline saved at `at` with this status and these step statuses. */
  const pipeline = async (status: PipelineStatus, steps: [StepStatus, StepStatus], at: Date) => {
    const { pipeline: p } = await repository.create(
      {
        name: `${status} ${steps.join(" ")}`,
        owner: "alice",
        steps: [
          { name: "a", kind: "echo", payload: null, dependsOn: [] },
          { name: "b", kind: "echo", payload: null, dependsOn: ["a"] },
        ],
        idempotencyKey: null,
      },
      null,
      "request",
      at,
    );
    p.status = status;
    p.steps[0]!.status = steps[0];
    p.steps[1]!.status = steps[1];
    p.updatedAt = at;
    expect(await repository.save(p)).toBe(true);
    return p.id;
  };
  const stepCount = async (id: number) =>
    Number((await db.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM pipeline_steps WHERE pipeline_id = $1", [id]))!.n);

  test("deletes old settled final pipelines with their steps, in batches; never an active, running or recent one", async () => {
    const old = [
      await pipeline("SUCCEEDED", ["SUCCEEDED", "SUCCEEDED"], T0),
      await pipeline("FAILED", ["FAILED", "SKIPPED"], T0),
      await pipeline("CANCELLED", ["CANCELLED", "SKIPPED"], T0),
      await pipeline("SUCCEEDED", ["SUCCEEDED", "SUCCEEDED"], new Date(T0.getTime() + 1)),
      await pipeline("FAILED", ["SUCCEEDED", "FAILED"], new Date(T0.getTime() + 2)),
    ];
    // Final, but a step's job may still run (active): kept, however old.
    const cancelledButRunning = await pipeline("CANCELLED", ["RUNNING", "WAITING"], T0);
    const running = await pipeline("RUNNING", ["SUCCEEDED", "PENDING"], T0);
    const pending = await pipeline("PENDING", ["WAITING", "WAITING"], T0);
    const recent = await pipeline("SUCCEEDED", ["SUCCEEDED", "SUCCEEDED"], new Date(T0.getTime() + 10 * DAY_MS));

    const batches: number[] = [];
    const before = (await pipelineMetrics.retentionDeleted.get()).values[0]?.value ?? 0;
    let now = new Date(T0.getTime() + 20 * DAY_MS);
    const retention = new Retention({
      name: "pipelines",
      maxAgeMs: 30 * DAY_MS,
      intervalMs: 1_000,
      batchSize: 2,
      pauseMs: 0,
      deleteBatch: (cutoff, limit) => repository.deleteFinishedBefore(cutoff, limit),
      onDeleted: (count) => {
        batches.push(count);
        pipelineMetrics.retentionDeleted.inc(count);
      },
      now: () => now,
      logger: quietLogger(),
    });
    // Nothing is 30 days old yet.
    expect(await retention.runOnce()).toBe(0);

    now = new Date(T0.getTime() + 31 * DAY_MS);
    expect(await retention.runOnce()).toBe(old.length);
    expect(batches).toEqual([2, 2, 1]);
    expect((await pipelineMetrics.retentionDeleted.get()).values[0]!.value - before).toBe(old.length);
    for (const id of old) {
      expect(await repository.get(id)).toBeUndefined();
      expect(await stepCount(id)).toBe(0);
    }
    for (const id of [cancelledButRunning, running, pending, recent]) {
      expect(await repository.get(id)).toBeDefined();
      expect(await stepCount(id)).toBe(2);
    }
    expect(await repository.activeIds()).toEqual(expect.arrayContaining([cancelledButRunning, running, pending]));
    expect(await retention.runOnce()).toBe(0);

    // Once the recent one is old enough, it goes too; the active ones still stay.
    now = new Date(T0.getTime() + 41 * DAY_MS);
    expect(await retention.runOnce()).toBe(1);
    expect(await repository.get(recent)).toBeUndefined();
    for (const id of [cancelledButRunning, running, pending]) expect(await repository.get(id)).toBeDefined();
  });
});
