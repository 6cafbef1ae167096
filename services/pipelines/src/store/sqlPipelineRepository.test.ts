// What lets several pipelines replicas share one database, on SQLite and on
// PostgreSQL: saves are compare-and-set on the pipeline's version (and write
// only the steps that changed), and a lease gives each pipeline one owner at a
// time.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Db } from "@platform/kit";
import { TEST_BACKENDS } from "@platform/kit/testing/db";
import type { SqlPipelineRepository } from "./sqlPipelineRepository";
import { openTestStore } from "./testStore";

setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("the pipeline store on %s", (backend) => {
  let db: Db;
  let repository: SqlPipelineRepository;

  beforeAll(async () => {
    ({ db, repository } = await openTestStore(backend));
  });
  afterAll(() => db.close());

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
        "request-1",
        new Date(1_000),
      )
    ).pipeline;

  test("a save bumps the version; a save over a stale version is refused and writes nothing", async () => {
    const created = await create();
    expect(created.version).toBe(0);
    const mine = (await repository.get(created.id))!;
    const theirs = (await repository.get(created.id))!;

    mine.steps[0]!.jobId = 7;
    mine.steps[0]!.status = "PENDING";
    expect(await repository.save(mine)).toBe(true);
    expect(mine.version).toBe(1);

    theirs.status = "CANCELLED";
    theirs.steps[0]!.status = "SKIPPED";
    expect(await repository.save(theirs)).toBe(false);
    expect(theirs.version).toBe(0);

    const stored = (await repository.get(created.id))!;
    expect(stored).toMatchObject({ status: "PENDING", version: 1 });
    expect(stored.steps[0]).toMatchObject({ status: "PENDING", jobId: 7 });
    // Re-read, the same change goes through.
    stored.status = "CANCELLED";
    expect(await repository.save(stored)).toBe(true);
    expect((await repository.get(created.id))!).toMatchObject({ status: "CANCELLED", version: 2 });
  });

  test("of many concurrent saves over one version, exactly one wins", async () => {
    const { id } = await create();
    const copies = await Promise.all(Array.from({ length: 8 }, () => repository.get(id)));
    const results = await Promise.all(
      copies.map((copy, i) => repository.save({ ...copy!, status: i % 2 ? "RUNNING" : "FAILED" })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await repository.get(id))!.version).toBe(1);
  });

  test("a save given the stored steps writes only the steps that differ from them", async () => {
    const { pipeline } = await repository.create(
      {
        name: "p",
        owner: "alice",
        steps: ["a", "b"].map((name) => ({ name, kind: "echo", payload: null, dependsOn: [] })),
        idempotencyKey: null,
      },
      null,
      "request-1",
      new Date(1_000),
    );
    // A row changed behind the store's back shows which rows a save wrote.
    const mark = () =>
      db.all("UPDATE pipeline_steps SET error = 'untouched' WHERE pipeline_id = $1 AND name = 'b'", [pipeline.id]);
    const read = (await repository.get(pipeline.id))!;
    const stored = structuredClone(read.steps);
    read.steps[0]!.status = "PENDING";
    read.steps[0]!.jobId = 7;
    await mark();
    expect(await repository.save(read, stored)).toBe(true);
    const after = (await repository.get(pipeline.id))!;
    expect(after.steps.map((s) => [s.status, s.jobId, s.error])).toEqual([
      ["PENDING", 7, null],
      ["WAITING", null, "untouched"],
    ]);
    // Without them, every step is written.
    after.steps[1]!.error = null;
    await mark();
    expect(await repository.save(after)).toBe(true);
    expect((await repository.get(pipeline.id))!.steps[1]!.error).toBeNull();
  });

  test("a lease has one holder: two claimers, one wins; the holder renews; an expired lease is anyone's", async () => {
    const { id } = await create();
    const [a, b] = await Promise.all([
      repository.claim(id, "replica-a", 10_000, 1_000),
      repository.claim(id, "replica-b", 10_000, 1_000),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const [holder, other] = a ? ["replica-a", "replica-b"] : ["replica-b", "replica-a"];

    expect(await repository.claim(id, holder, 10_500, 1_000)).toBe(true); // renewed until 11 500
    expect(await repository.claim(id, other, 11_000, 1_000)).toBe(false);
    await repository.release(id, other); // not the holder: no effect
    expect(await repository.claim(id, other, 11_499, 1_000)).toBe(false);
    expect(await repository.claim(id, other, 11_500, 1_000)).toBe(true); // expired: taken over
    expect(await repository.claim(id, holder, 11_600, 1_000)).toBe(false);

    await repository.release(id, other);
    expect(await repository.claim(id, holder, 11_700, 1_000)).toBe(true); // released: free at once
  });

  test("leases are per pipeline", async () => {
    const [one, two] = [await create(), await create()];
    expect(await repository.claim(one.id, "replica-a", 0, 60_000)).toBe(true);
    expect(await repository.claim(two.id, "replica-b", 0, 60_000)).toBe(true);
  });
});
