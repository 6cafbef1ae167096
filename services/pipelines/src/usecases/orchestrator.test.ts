// Two orchestrators (two replicas) on one database, on SQLite and on
// PostgreSQL, with a jobs service that answers when the test says so: only
// the lease holder reconciles a pipeline, a reconciliation that lost a save
// re-reads instead of writing its stale view, and a cancellation by the other
// replica is never undone.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Db } from "@platform/kit";
import { eventually, quietLogger } from "@platform/kit/testing";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { JobsApi, JobView } from "../clients/jobsClient";
import { Orchestrator } from "./orchestrator";
import { SqlPipelineRepository } from "../store/sqlPipelineRepository";
import { openTestStore } from "../store/testStore";

setDefaultTimeout(30_000);

/** A jobs service in memory whose create() waits until `release()` while `hold` is set. */
class FakeJobs implements JobsApi {
  close() {}
  watch(_id: number, _onJob: (job: JobView) => void, _onEnd: (final: boolean) => void): () => void {
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
    const view: JobView = { id: this.byKey.size + 1, status: "PENDING", error: "", result: "" };
    this.byKey.set(job.idempotencyKey, view);
    return view;
  }
  /** GetJob calls the orchestrator made. */
  gets = 0;
  protected find(id: number): JobView {
    return [...this.byKey.values()].find((j) => j.id === id)!;
  }
  async get(id: number): Promise<JobView> {
    this.gets += 1;
    return { ...this.find(id) };
  }
  async cancel(id: number): Promise<JobView> {
    const job = this.find(id);
    job.status = "CANCELLED";
    return job;
  }
}

/**
 * FakeJobs whose jobs can be watched: `finish` moves a job on and tells its
 * watcher; a final job's watch then ends, as WatchJob's stream does.
 */
class WatchedJobs extends FakeJobs {
  readonly watchers = new Map<number, (job: JobView) => void>();
  private readonly enders = new Map<number, (final: boolean) => void>();
  override watch(id: number, onJob: (job: JobView) => void, onEnd: (final: boolean) => void) {
    this.watchers.set(id, onJob);
    this.enders.set(id, onEnd);
    void Promise.resolve().then(() => onJob({ ...this.find(id) }));
    return () => {
      this.watchers.delete(id);
      this.enders.delete(id);
    };
  }
  async finish(id: number, status: JobView["status"] = "SUCCEEDED") {
    const job = this.find(id);
    job.status = status;
    this.watchers.get(id)?.({ ...job });
    if (status === "RUNNING" || status === "PENDING") return;
    const end = this.enders.get(id);
    this.watchers.delete(id);
    this.enders.delete(id);
    end?.(true);
  }
}

/** The store, counting the calls the orchestrator makes. */
class CountedRepository extends SqlPipelineRepository {
  readonly calls = { get: 0, claim: 0, release: 0, save: 0 };
  override get(...args: Parameters<SqlPipelineRepository["get"]>) {
    this.calls.get += 1;
    return super.get(...args);
  }
  override claim(...args: Parameters<SqlPipelineRepository["claim"]>) {
    this.calls.claim += 1;
    return super.claim(...args);
  }
  override release(...args: Parameters<SqlPipelineRepository["release"]>) {
    this.calls.release += 1;
    return super.release(...args);
  }
  /** While set, saves wait for it. */
  saveGate: Promise<void> | undefined;
  override async save(...args: Parameters<SqlPipelineRepository["save"]>) {
    this.calls.save += 1;
    await this.saveGate;
    return super.save(...args);
  }
}

/** Until the orchestrators under test have moved `check` to true. */
const until = (check: () => Promise<boolean>) =>
  eventually(async () => ((await check()) ? true : undefined), 15_000, "the orchestrator");

describe.each(TEST_BACKENDS)("an orchestrator watching its step jobs on %s", (backend) => {
  let db: Db;
  let repository: SqlPipelineRepository;
  beforeAll(async () => {
    ({ db, repository } = await openTestStore(backend));
  });
  afterAll(() => db.close());

  const chain = async () =>
    (
      await repository.create(
        {
          name: "chain",
          owner: "alice",
          steps: [
            { name: "a", kind: "echo", payload: null, dependsOn: [] },
            { name: "b", kind: "echo", payload: null, dependsOn: ["a"] },
          ],
          idempotencyKey: null,
        },
        null,
        "r",
        new Date(),
      )
    ).pipeline;
  test("a step's completion moves the pipeline with no sweep; watches end with their jobs and on stop", async () => {
    const jobs = new WatchedJobs();
    // The sweep would run in ten minutes: only the watches move the pipeline.
    const orchestrator = new Orchestrator(repository, jobs, quietLogger(), 600_000, { leaseMs: 60_000 });
    orchestrator.start();
    try {
      const { id } = await chain();
      await orchestrator.reconcile(id);
      expect([...jobs.watchers.keys()]).toEqual([1]);
      await jobs.finish(1);
      await until(async () => (await repository.get(id))!.steps[1]!.jobId !== null);
      expect([...jobs.watchers.keys()]).toEqual([2]);
      await jobs.finish(2);
      await until(async () => (await repository.get(id))!.status === "SUCCEEDED");
      expect(orchestrator.watchCount).toBe(0);
      expect(jobs.created).toEqual([`pipeline-${id}-step-a`, `pipeline-${id}-step-b`]);

      const other = await chain();
      await orchestrator.reconcile(other.id);
      expect(orchestrator.watchCount).toBe(1);
    } finally {
      await orchestrator.stop();
    }
    expect(orchestrator.watchCount).toBe(0);
    expect(jobs.watchers.size).toBe(0);
  });

  test("a reconcile a change started takes the job's state from its watch; the sweep asks the jobs service", async () => {
    const jobs = new WatchedJobs();
    const orchestrator = new Orchestrator(repository, jobs, quietLogger(), 600_000, { leaseMs: 60_000 });
    orchestrator.start();
    try {
      const { id } = await chain();
      await orchestrator.reconcile(id);
      await jobs.finish(1);
      await until(async () => (await repository.get(id))!.steps[1]!.jobId !== null);
      await jobs.finish(2);
      await until(async () => (await repository.get(id))!.status === "SUCCEEDED");
      expect(jobs.gets).toBe(0);

      const other = await chain();
      await orchestrator.reconcile(other.id);
      await orchestrator.reconcile(other.id);
      expect(jobs.gets).toBe(1);
    } finally {
      await orchestrator.stop();
    }
  });

  test("changes while a reconcile runs: it follows them before it saves, the lease is handed over, and one more reconcile at most waits", async () => {
    const jobs = new WatchedJobs();
    const countedRepository = new CountedRepository(db);
    const { calls } = countedRepository;
    const orchestrator = new Orchestrator(countedRepository, jobs, quietLogger(), 600_000, { leaseMs: 60_000 });
    orchestrator.start();
    try {
      // a and b at once; c after a, d after b.
      const { pipeline } = await repository.create(
        {
          name: "two chains",
          owner: "alice",
          steps: [
            { name: "a", kind: "echo", payload: null, dependsOn: [] },
            { name: "b", kind: "echo", payload: null, dependsOn: [] },
            { name: "c", kind: "echo", payload: null, dependsOn: ["a"] },
            { name: "d", kind: "echo", payload: null, dependsOn: ["b"] },
          ],
          idempotencyKey: null,
        },
        null,
        "r",
        new Date(),
      );
      await orchestrator.reconcile(pipeline.id);
      expect(calls).toMatchObject({ get: 1, claim: 1, release: 1 });
      // a's completion starts a reconcile that submits c, held up in CreateJob while b runs and completes.
      jobs.hold();
      await jobs.finish(1);
      await until(async () => jobs.created.length === 3);
      await jobs.finish(2, "RUNNING");
      await jobs.finish(2);
      jobs.release();
      await until(async () => calls.release === 2);
      const after = (await repository.get(pipeline.id))!;
      expect(after.steps.map((s) => [s.name, s.status, s.jobId])).toEqual([
        ["a", "SUCCEEDED", 1],
        ["b", "SUCCEEDED", 2],
        ["c", "PENDING", 3],
        ["d", "PENDING", 4],
      ]);
      // That reconcile followed b and submitted d itself; the one queued behind it read nothing and took no lease.
      expect(calls).toMatchObject({ get: 2, claim: 2, release: 2 });
      expect(jobs.gets).toBe(0);
    } finally {
      await orchestrator.stop();
    }
  });

  test("a change that arrives while a reconcile saves is followed by that reconcile, with no re-read", async () => {
    const jobs = new WatchedJobs();
    const countedRepository = new CountedRepository(db);
    const { calls } = countedRepository;
    const orchestrator = new Orchestrator(countedRepository, jobs, quietLogger(), 600_000, { leaseMs: 60_000 });
    orchestrator.start();
    try {
      const { id } = await chain();
      await orchestrator.reconcile(id);
      // a's job starts: the reconcile that saves RUNNING is held up in its save while the job succeeds.
      let open!: () => void;
      countedRepository.saveGate = new Promise((resolve) => (open = resolve));
      const saves = calls.save;
      await jobs.finish(1, "RUNNING");
      await until(async () => calls.save > saves);
      await jobs.finish(1);
      open();
      await until(async () => calls.release === 2);
      const after = (await repository.get(id))!;
      expect(after.steps.map((s) => [s.status, s.jobId])).toEqual([
        ["SUCCEEDED", 1],
        ["PENDING", 2],
      ]);
      // Saved three times (a submitted; a RUNNING; a SUCCEEDED and b submitted), read twice.
      expect(after.version).toBe(3);
      expect(calls).toMatchObject({ get: 2, claim: 2, release: 2 });
    } finally {
      await orchestrator.stop();
    }
  });

  test("beyond maxWatches a step job is left to the sweep", async () => {
    const jobs = new WatchedJobs();
    const orchestrator = new Orchestrator(repository, jobs, quietLogger(), 600_000, { leaseMs: 60_000, maxWatches: 1 });
    orchestrator.start();
    try {
      const first = await chain();
      const second = await chain();
      await orchestrator.reconcile(first.id);
      await orchestrator.reconcile(second.id);
      expect(orchestrator.watchCount).toBe(1);
      expect((await repository.get(second.id))!.steps[0]!.jobId).not.toBeNull();
    } finally {
      await orchestrator.stop();
    }
  });
});

describe.each(TEST_BACKENDS)("two orchestrators on one %s database", (backend) => {
  let db: Db;
  let repository: SqlPipelineRepository;
  beforeAll(async () => {
    ({ db, repository } = await openTestStore(backend));
  });
  afterAll(() => db.close());

  const twoReplicas = (jobs: FakeJobs) =>
    [
      new Orchestrator(repository, jobs, quietLogger(), 60_000, { leaseMs: 60_000, replicaId: "replica-a" }),
      new Orchestrator(repository, jobs, quietLogger(), 60_000, { leaseMs: 60_000, replicaId: "replica-b" }),
    ] as const;
  const create = async () =>
    (
      await repository.create(
        {
          name: "p",
          owner: "alice",
          steps: [{ name: "a", kind: "echo", payload: null, dependsOn: [] }],
          idempotencyKey: null,
        },
        null,
        "r",
        new Date(),
      )
    ).pipeline;

  test("while one replica reconciles a pipeline, the other leaves it alone", async () => {
    const jobs = new FakeJobs();
    const [a, b] = twoReplicas(jobs);
    const { id } = await create();
    jobs.hold();
    const first = a.reconcile(id);
    await until(async () => jobs.created.length > 0);
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
    await until(async () => jobs.created.length > 0);
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
