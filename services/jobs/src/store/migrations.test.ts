// Migration 2 on a database that has jobs from before ownership: every row is
// kept, belongs to the admin, and the new columns and indexes work (later migrations too).
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import { JOBS_MIGRATIONS } from "./migrations";
import { SqlJobRepository } from "./sqlJobRepository";

setDefaultTimeout(30_000);

const open: Db[] = [];
const queueing = { priority: 0, queue: "default", runAt: null, expiresAt: null, timeoutSeconds: 0, backoff: null };
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
});

describe.each(TEST_BACKENDS)("jobs migrations on %s", (backend) => {
  test("jobs from migration 1 are owned by 'admin' after migration 2, with their data intact", async () => {
    const db = openDatabase("jobs", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 2 });
    open.push(db);
    expect(
      await migrate(
        db,
        "jobs",
        JOBS_MIGRATIONS.filter((m) => m.version === 1),
      ),
    ).toEqual([1]);
    for (const [name, status, key] of [
      ["old pending", "PENDING", "k1"],
      ["old running", "RUNNING", null],
      ["old done", "SUCCEEDED", null],
    ] as const) {
      await db.all(
        `INSERT INTO jobs (job_name, kind, status, max_attempts, created_at, updated_at, run_after, idempotency_key, worker_id) VALUES ($1, 'noop', $2, 3, 1, 1, 1, $3, $4)`,
        [name, status, key, status === "RUNNING" ? "old-worker" : null],
      );
    }
    expect(await migrate(db, "jobs", JOBS_MIGRATIONS)).toEqual(
      JOBS_MIGRATIONS.map((m) => m.version).filter((v) => v > 1),
    );

    const repository = new SqlJobRepository(db);
    const all = await repository.listAfter({ afterId: 0, limit: 10 });
    expect(all.map((j) => [j.name, j.status, j.owner])).toEqual([
      ["old pending", "PENDING", "admin"],
      ["old running", "RUNNING", "admin"],
      ["old done", "SUCCEEDED", "admin"],
    ]);
    // The running job has no lease token: no token can act on it (it runs out and is re-queued).
    expect(all[1]).toMatchObject({ workerId: "old-worker", leaseTokenHash: null, previousLeaseTokenHash: null });
    expect((await repository.listAfter({ afterId: 0, limit: 10 }, { owner: "admin" })).length).toBe(3);
    expect(await repository.listAfter({ afterId: 0, limit: 10 }, { owner: "alice" })).toEqual([]);
    // Idempotency keys are now per owner: the admin's old key returns the old job, alice's is new.
    const again = await repository.create(
      { name: "dup", kind: "noop", payload: null, maxAttempts: 3, idempotencyKey: "k1", owner: "admin", ...queueing },
      new Date(),
    );
    expect(again).toMatchObject({ created: false, job: { name: "old pending" } });
    const alices = await repository.create(
      {
        name: "alice's",
        kind: "noop",
        payload: null,
        maxAttempts: 3,
        idempotencyKey: "k1",
        owner: "alice",
        ...queueing,
      },
      new Date(),
    );
    expect(alices).toMatchObject({ created: true, job: { name: "alice's", owner: "alice" } });
    // Migration 4: old rows are in the default queue at priority 0, and still claimable, by queue too.
    expect(all[0]).toMatchObject({ priority: 0, queue: "default", expiresAt: null });
    // Migration 6: old rows have no backoff of their own (the service's applies).
    expect(all.map((job) => job.backoff)).toEqual([null, null, null]);
    // Migration 7: old rows are listed by kind and queue, and counted per queue.
    expect(
      (await repository.listAfter({ afterId: 0, limit: 10 }, { kind: "noop", queue: "default", owner: "admin" }))
        .length,
    ).toBe(3);
    expect((await repository.countByKindAndStatus("admin")).every((c) => c.queue === "default")).toBe(true);
    // Migration 8: the old PENDING row is in the per-kind indexes a worker's claim and wait read.
    expect(await repository.nextRunAfter(["noop"], [], new Date(0))).toEqual(new Date(1));
    const [claimed] = await repository.claim("w", 30, ["noop"], ["hash"], new Date(), ["default"]);
    expect(claimed?.name).toBe("old pending");
  });
});
