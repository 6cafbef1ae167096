// Two orchestrators (two replicas) on one database, on SQLite and on
// PostgreSQL, with a jobs service that answers when the test says so: only
// the lease holder reconciles a pipeline, a reconciliation that lost a save
// re-reads instead of writing its stale view, and a cancellation by the other
// replica is never undone.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { quietLogger } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import type { JobsApi, JobView } from "../clients/jobsClient";
import { Orchestrator } from "./orchestrator";
import { PIPELINES_MIGRATIONS } from "../store/migrations";
import { SqlPipelineRepository } from "../store/sqlPipelineRepository";

setDefaultTimeout(30_000);

/** A jobs service in memory whose create() waits until `release()` while `hold` is set. */
class FakeJobs implements JobsApi {
  close() {}
  watch() {
    return () => {};
  }
  readonly created: string[] = [];
  private readonly byKey = new Map<string, JobView>();
  private gate: { promise: Promise<void>; open: () => void } | undefined;
  hold() {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }
  release() {
    this.gate?.open();
    this.gate = undefined;
  }
  async create(job: { idempotencyKey: string }): Promise<JobView> {
    this.created.push(job.idempotencyKey);
    await this.gate?.promise;
    const existing = this.byKey.get(job.idempotencyKey);
    if (existing) return existing;
    const view: JobView = { id: this.byKey.size + 1, status: "PENDING", error: "" };
    this.byKey.set(job.idempotencyKey, view);
    return view;
  }
  async get(id: number): Promise<JobView> {
    return [...this.byKey.values()].find((j) => j.id === id)!;
  }
  async cancel(id: number): Promise<JobView> {
    const job = [...this.byKey.values()].find((j) => j.id === id)!;
    job.status = "CANCELLED";
    return job;
  }
}

describe.each(TEST_BACKENDS)("two orchestrators on one %s database", (backend) => {
  let db: Db;
  let repository: SqlPipelineRepository;
  beforeAll(async () => {
    db = openDatabase("pipelines", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 8 });
    await migrate(db, "pipelines", PIPELINES_MIGRATIONS);
    repository = new SqlPipelineRepository(db);
  });
  afterAll(() => db.close());

  const twoReplicas = (jobs: FakeJobs) =>
    [
      new Orchestrator(repository, jobs, quietLogger(), 60_000, { leaseMs: 60_000, replicaId: "replica-a" }),
      new Orchestrator(repository, jobs, quietLogger(), 60_000, { leaseMs: 60_000, replicaId: "replica-b" }),
    ] as const;
  const create = () =>
    repository.create(
      { name: "p", owner: "alice", steps: [{ name: "a", kind: "echo", payload: null, dependsOn: [] }] },
      "r",
      new Date(),
    );

  test("while one replica reconciles a pipeline, the other leaves it alone", async () => {
    const jobs = new FakeJobs();
    const [a, b] = twoReplicas(jobs);
    const { id } = await create();
    jobs.hold();
    const first = a.reconcile(id);
    while (jobs.created.length === 0) await Bun.sleep(5);
    // b cannot take the lease: it submits nothing and returns the pipeline as stored.
    expect((await b.reconcile(id))!.steps[0]!.jobId).toBeNull();
    jobs.release();
    expect((await first)!.steps[0]).toMatchObject({ status: "PENDING", jobId: 1 });
    expect(jobs.created).toEqual([`pipeline-${id}-step-a`]);
    // Released after: b may reconcile it now.
    expect(await b.reconcile(id)).toMatchObject({ status: "PENDING" });
  });

  test("a cancellation saved while a replica reconciles is not overwritten: that replica re-reads", async () => {
    const jobs = new FakeJobs();
    const [a] = twoReplicas(jobs);
    const { id } = await create();
    jobs.hold();
    const reconciling = a.reconcile(id);
    while (jobs.created.length === 0) await Bun.sleep(5);
    // Another replica's CancelPipeline: a compare-and-set save, no lease needed.
    const stored = (await repository.get(id))!;
    expect(await repository.save({ ...stored, status: "CANCELLED", updatedAt: new Date() })).toBe(true);
    jobs.release();
    const after = (await reconciling)!;
    expect(after.status).toBe("CANCELLED");
    // The submitted job was followed and cancelled on the re-read; nothing was written back over the cancel.
    expect(after.steps[0]).toMatchObject({ jobId: 1, status: "CANCELLED" });
    expect((await repository.get(id))!.status).toBe("CANCELLED");
  });
});
