// Recurring schedules on SQLite and PostgreSQL: the scheduler (two instances on
// one database, a clock the test moves) fires each due time exactly once, one
// leader at a time; pause, resume and delete; and the schedule RPCs over a real
// gRPC server, whose own scheduler task fires a schedule end to end.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { migrate, openDatabase, type Db } from "@platform/kit";
import { call, eventually, grpcError, quietLogger } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import type { ListJobsResponse__Output, ListSchedulesResponse__Output, Schedule__Output } from "@platform/proto";
import { validateNewSchedule, type Schedule } from "./domain/schedule";
import { JOBS_MIGRATIONS } from "./store/migrations";
import { SqlScheduleRepository } from "./store/scheduleRepository";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { startJobsFixture, TEST_OWNER, type JobsFixture } from "./testing";
import { JobService } from "./usecases/jobService";
import { Scheduler, ScheduleService } from "./usecases/scheduler";

setDefaultTimeout(30_000);

const MINUTE = 60_000;
const LEASE_MS = 5 * MINUTE;
const START = Date.parse("2026-01-01T00:00:30Z");

describe.each(TEST_BACKENDS)("the scheduler on %s", (backend) => {
  let db: Db;
  let jobs: JobService;
  let repository: SqlScheduleRepository;
  let schedules: ScheduleService;
  let now = START;
  const clock = () => new Date(now);
  const logger = quietLogger();
  const schedulers: Scheduler[] = [];
  const scheduler = (id: string) => {
    const s = new Scheduler(repository, jobs, { intervalMs: 1000, leaseMs: LEASE_MS, batchSize: 2, clock, id }, logger);
    schedulers.push(s);
    return s;
  };

  beforeAll(async () => {
    db = openDatabase("jobs", { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 4 });
    await migrate(db, "jobs", JOBS_MIGRATIONS);
    jobs = new JobService(
      new SqlJobRepository(db),
      { retry: { baseBackoffMs: 10, maxBackoffMs: 100 }, sweepIntervalMs: 60_000 },
      logger,
    );
    repository = new SqlScheduleRepository(db);
    schedules = new ScheduleService(repository, clock);
  });
  afterAll(async () => {
    for (const s of schedulers) await s.stop();
    await db.close();
  });

  /** Each test gets its own owner (its jobs and schedules), and the lease starts free. */
  let owner = "";
  let n = 0;
  const fresh = async () => {
    owner = `owner-${++n}`;
    for (const s of schedulers.splice(0)) await s.stop();
    await db.all("UPDATE scheduler_leases SET lease_owner = NULL, lease_expires_at = 0");
    await db.all("UPDATE schedules SET paused = 1, next_run_at = NULL");
  };
  const create = (cron = "* * * * *", paused = false) =>
    schedules.create(
      validateNewSchedule(
        {
          name: "every minute",
          cron,
          timeZone: "UTC",
          job: { name: "tick", kind: "tick", payload: '{"x":1}', maxAttempts: 2 },
          owner,
          paused,
        },
        clock(),
      ),
    );
  const jobsOf = async () => jobs.list({ afterId: 0, limit: 1000 }, { owner });
  const keysOf = async () => (await jobsOf()).map((j) => j.idempotencyKey);
  const key = (s: Schedule, at: number) => `schedule:${s.id}:${at}`;

  test("two schedulers ticking every minute for ten minutes: exactly one job per minute", async () => {
    await fresh();
    now = START;
    const schedule = await create();
    const [a, b] = [scheduler("a"), scheduler("b")];
    const expected: string[] = [];
    for (let minute = 1; minute <= 10; minute++) {
      now = START - 30_000 + minute * MINUTE + 5;
      expected.push(key(schedule, START - 30_000 + minute * MINUTE));
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    }
    expect(await keysOf()).toEqual(expected);
    const jobsMade = await jobsOf();
    expect(jobsMade.every((j) => j.name === "tick" && j.kind === "tick" && j.payload === '{"x":1}')).toBe(true);
    expect(jobsMade.every((j) => j.maxAttempts === 2 && j.owner === owner && j.status === "PENDING")).toBe(true);
    const stored = await schedules.get(schedule.id);
    expect(stored.lastRunAt?.getTime()).toBe(START - 30_000 + 10 * MINUTE);
    expect(stored.nextRunAt?.getTime()).toBe(START - 30_000 + 11 * MINUTE);
    // The latest firing's job, found by its idempotency key; listed and paused schedules carry it too.
    expect(schedule.lastJobId).toBeNull();
    expect(stored.lastJobId).toBe(jobsMade.at(-1)!.id);
    expect((await schedules.list({ afterId: 0, limit: 10 }, owner)).map((s) => s.lastJobId)).toEqual([
      jobsMade.at(-1)!.id,
    ]);
    expect((await schedules.pause(schedule.id)).lastJobId).toBe(jobsMade.at(-1)!.id);
    // Once that job is gone (retention), there is no last job, and the schedule is intact.
    await db.all("DELETE FROM jobs WHERE id = $1", [jobsMade.at(-1)!.id]);
    expect(await schedules.get(schedule.id)).toMatchObject({ lastJobId: null, lastRunAt: stored.lastRunAt });
  });

  test("the lease: only its holder fires; a released or expired lease passes to the other", async () => {
    await fresh();
    now = START;
    const schedule = await create();
    const [a, b] = [scheduler("a"), scheduler("b")];
    now = START + MINUTE;
    expect(await a.tick()).toBe(1);
    now += MINUTE;
    expect(await b.tick()).toBe(0); // a holds the lease
    expect(await a.tick()).toBe(1);
    await a.stop(); // releases it
    now += MINUTE;
    expect(await b.tick()).toBe(1);
    // b "crashes" (stops ticking without releasing): a waits out the lease, then takes over.
    const c = scheduler("c");
    now += MINUTE;
    expect(await c.tick()).toBe(0);
    now += LEASE_MS;
    expect(await c.tick()).toBe(1);
    expect((await keysOf()).length).toBe(4);
    expect(new Set(await keysOf()).size).toBe(4);
    expect((await schedules.get(schedule.id)).lastRunAt).not.toBeNull();
  });

  test("two leaders at once (no lease) firing the same due time create one job; the schedule moves once", async () => {
    await fresh();
    now = START;
    const schedule = await create();
    const [a, b] = [scheduler("a"), scheduler("b")];
    now = START + MINUTE;
    const due = (await repository.due(clock(), 100)).find((s) => s.id === schedule.id)!;
    const moved = await Promise.all([a.fire(due, clock()), b.fire(due, clock()), a.fire(due, clock())]);
    expect(moved.filter(Boolean)).toHaveLength(1);
    expect(await keysOf()).toEqual([key(schedule, START + 30_000)]);
    expect((await schedules.get(schedule.id)).nextRunAt?.getTime()).toBe(START + 30_000 + MINUTE);
  });

  test("catch-up after downtime: the first missed time fires once, then the next time after now", async () => {
    await fresh();
    now = START;
    const schedule = await create();
    const a = scheduler("a");
    now = START + 3 * 60 * MINUTE; // three hours later
    expect(await a.tick()).toBe(1);
    expect(await a.tick()).toBe(0);
    expect(await keysOf()).toEqual([key(schedule, START + 30_000)]);
    expect((await schedules.get(schedule.id)).nextRunAt?.getTime()).toBe(START + 30_000 + 180 * MINUTE);
  });

  test("due schedules fire in bounded batches, the most overdue first", async () => {
    await fresh();
    now = START;
    const made = [await create(), await create(), await create()];
    const a = scheduler("a");
    now = START + MINUTE;
    expect(await a.tick()).toBe(2); // batchSize 2
    expect(await a.tick()).toBe(1);
    expect(await a.tick()).toBe(0);
    expect((await keysOf()).sort()).toEqual(made.map((s) => key(s, START + 30_000)).sort());
  });

  test("one schedule failing to fire does not hold up the others, and stays due until it fires", async () => {
    await fresh();
    now = START;
    const [broken, fine] = [await create(), await create()];
    let failing = true;
    const flaky: Pick<JobService, "create"> = {
      create: (job) =>
        failing && job.idempotencyKey?.startsWith(`schedule:${broken.id}:`)
          ? Promise.reject(new Error("the database went away"))
          : jobs.create(job),
    };
    const a = new Scheduler(
      repository,
      flaky,
      { intervalMs: 1000, leaseMs: LEASE_MS, batchSize: 10, clock, id: "f" },
      logger,
    );
    schedulers.push(a);
    now = START + MINUTE;
    expect(await a.tick()).toBe(1);
    expect(await keysOf()).toEqual([key(fine, START + 30_000)]);
    expect((await schedules.get(broken.id)).nextRunAt?.getTime()).toBe(START + 30_000);
    failing = false;
    expect(await a.tick()).toBe(1);
    expect((await keysOf()).sort()).toEqual([key(broken, START + 30_000), key(fine, START + 30_000)].sort());
  });

  test("pause stops firing; resume continues from the next time, without the missed ones", async () => {
    await fresh();
    now = START;
    const schedule = await create();
    const a = scheduler("a");
    now = START + MINUTE;
    expect(await a.tick()).toBe(1);
    await schedules.pause(schedule.id, owner);
    for (let i = 0; i < 5; i++) {
      now += MINUTE;
      expect(await a.tick()).toBe(0);
    }
    expect((await keysOf()).length).toBe(1);
    now += 10_000;
    const resumed = await schedules.resume(schedule.id, owner);
    const next = START + 30_000 + 6 * MINUTE;
    expect(resumed.nextRunAt?.getTime()).toBe(next);
    expect(await a.tick()).toBe(0);
    now = next;
    expect(await a.tick()).toBe(1);
    expect(await keysOf()).toEqual([key(schedule, START + 30_000), key(schedule, next)]);
  });

  test("a paused-at-creation schedule never fires until resumed", async () => {
    await fresh();
    now = START;
    const schedule = await create("* * * * *", true);
    const a = scheduler("a");
    now = START + 5 * MINUTE;
    expect(await a.tick()).toBe(0);
    expect(schedule.nextRunAt).toBeNull();
    expect(await keysOf()).toEqual([]);
  });

  test("delete: nothing more fires; the jobs it created stay; another owner cannot see or delete it", async () => {
    await fresh();
    now = START;
    const schedule = await create();
    const a = scheduler("a");
    now = START + MINUTE;
    expect(await a.tick()).toBe(1);
    await expect(schedules.delete(schedule.id, "someone-else")).rejects.toThrow("not found");
    expect((await schedules.delete(schedule.id, owner)).id).toBe(schedule.id);
    await expect(schedules.get(schedule.id)).rejects.toThrow("not found");
    now += 5 * MINUTE;
    expect(await a.tick()).toBe(0);
    expect((await keysOf()).length).toBe(1);
  });
});

describe.each(TEST_BACKENDS)("the schedule RPCs on %s", (backend) => {
  let server: JobsFixture;
  beforeAll(async () => {
    server = await startJobsFixture(backend);
  });
  afterAll(() => server.stop());

  const rpc = <Res = Schedule__Output>(method: string, request: object) =>
    call<object, Res>(server.client, method, request);
  const createSchedule = (fields: object = {}) =>
    rpc("CreateSchedule", {
      name: "hourly report",
      cron: "0 * * * *",
      time_zone: "Europe/Berlin",
      job: { job_name: "report", kind: "report", payload: '{"n":1}', max_attempts: 2 },
      owner: TEST_OWNER,
      ...fields,
    });

  test("CreateSchedule stores it with its next run; Get, List, Pause, Resume and Delete", async () => {
    const created = await createSchedule();
    expect(created).toMatchObject({
      name: "hourly report",
      cron: "0 * * * *",
      time_zone: "Europe/Berlin",
      job: { job_name: "report", kind: "report", payload: '{"n":1}', max_attempts: 2 },
      owner: TEST_OWNER,
      paused: false,
      last_run_at: null,
    });
    expect(Number(created.next_run_at?.seconds) % 3600).toBe(0);
    expect(await rpc("GetSchedule", { id: created.id, owner: TEST_OWNER })).toEqual(created);
    const listed = await rpc<ListSchedulesResponse__Output>("ListSchedules", { owner: TEST_OWNER });
    expect(listed.schedules.map((s) => s.id)).toContain(created.id);
    const paused = await rpc("PauseSchedule", { id: created.id, owner: TEST_OWNER });
    expect([paused.paused, paused.next_run_at]).toEqual([true, null]);
    expect((await grpcError(rpc("PauseSchedule", { id: created.id }))).code).toBe(grpc.status.FAILED_PRECONDITION);
    const resumed = await rpc("ResumeSchedule", { id: created.id });
    expect(resumed.paused).toBe(false);
    expect(Number(resumed.next_run_at?.seconds) % 3600).toBe(0);
    expect((await rpc("DeleteSchedule", { id: created.id, owner: TEST_OWNER })).id).toBe(created.id);
    expect((await grpcError(rpc("GetSchedule", { id: created.id }))).code).toBe(grpc.status.NOT_FOUND);
    expect((await grpcError(rpc("DeleteSchedule", { id: created.id }))).code).toBe(grpc.status.NOT_FOUND);
  });

  test("another owner's schedule is NOT_FOUND for every call; an empty owner (admin) sees all", async () => {
    const created = await createSchedule({ owner: "other-owner" });
    for (const method of ["GetSchedule", "PauseSchedule", "ResumeSchedule", "DeleteSchedule"])
      expect((await grpcError(rpc(method, { id: created.id, owner: TEST_OWNER }))).code).toBe(grpc.status.NOT_FOUND);
    const mine = await rpc<ListSchedulesResponse__Output>("ListSchedules", { owner: TEST_OWNER });
    expect(mine.schedules.some((s) => s.id === created.id)).toBe(false);
    const all = await rpc<ListSchedulesResponse__Output>("ListSchedules", { owner: "" });
    expect(all.schedules.some((s) => s.id === created.id)).toBe(true);
  });

  test("ListSchedules pages in id order", async () => {
    const owner = "pager";
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createSchedule({ owner })).id);
    const first = await rpc<ListSchedulesResponse__Output>("ListSchedules", { owner, page_size: 2 });
    expect(first.schedules.map((s) => s.id)).toEqual(ids.slice(0, 2));
    const second = await rpc<ListSchedulesResponse__Output>("ListSchedules", {
      owner,
      page_size: 2,
      page_token: first.next_page_token,
    });
    expect([second.schedules.map((s) => s.id), second.next_page_token]).toEqual([ids.slice(2), ""]);
  });

  test.each([
    ["a bad cron expression", { cron: "every day" }, "cron"],
    ["a cron of 7 fields", { cron: "0 0 0 * * * 2030" }, "cron"],
    ["an unknown time zone", { time_zone: "Moon/Base" }, "time_zone"],
    ["an empty name", { name: "" }, "name"],
    ["a template payload that is not JSON", { job: { job_name: "x", payload: "{" } }, "job.payload"],
    ["no job template", { job: null }, "job.name"],
  ])("%s is INVALID_ARGUMENT naming the field", async (_, fields, field) => {
    const error = await grpcError(createSchedule(fields));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toStartWith(`${field}:`);
  });

  test("the server's scheduler fires a schedule: a job appears, as the schedule's owner, keyed by the time", async () => {
    const owner = "fired-by-server";
    const created = await createSchedule({ owner, cron: "* * * * * *", time_zone: "UTC" });
    const jobsOf = () => call<object, ListJobsResponse__Output>(server.client, "ListJobs", { owner });
    await eventually(async () => ((await jobsOf()).jobs.length > 0 ? true : undefined), 15_000, "a fired job");
    const [job] = (await jobsOf()).jobs;
    expect(job).toMatchObject({ job_name: "report", kind: "report", owner });
    expect(job!.idempotency_key).toStartWith(`schedule:${created.id}:`);
    await rpc("PauseSchedule", { id: created.id });
  });
});
