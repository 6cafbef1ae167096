// Schedules, pure: validation names the bad field, and next runs are computed
// in the schedule's time zone (across daylight-saving changes) from a given time.
import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@platform/kit";
import { firingJob, fired, nextRunAfter, pause, resume, validateNewSchedule, type Schedule } from "./schedule";

const NOW = new Date("2026-03-28T12:00:00Z");
const valid = {
  name: "nightly",
  cron: "30 2 * * *",
  timeZone: "Europe/Berlin",
  job: { name: "report", kind: "echo", payload: '{"a":1}', maxAttempts: 2 },
  owner: "alice",
  paused: false,
};

const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.violations.map((v) => v.field);
    throw error;
  }
  throw new Error("expected INVALID_ARGUMENT");
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("validateNewSchedule", () => {
  test("a valid schedule gets its defaults and its first run after now", () => {
    const s = validateNewSchedule({ ...valid, timeZone: "", job: { ...valid.job, kind: "", maxAttempts: 0 } }, NOW);
    expect(s).toMatchObject({ timeZone: "UTC", job: { kind: "noop", maxAttempts: 3 }, paused: false });
    expect(iso(s.nextRunAt)).toBe("2026-03-29T02:30:00.000Z");
  });

  test("a paused schedule has no next run", () => {
    expect(validateNewSchedule({ ...valid, paused: true }, NOW).nextRunAt).toBeNull();
  });

  test("6 fields (seconds first) are accepted", () => {
    const s = validateNewSchedule({ ...valid, cron: "*/10 * * * * *", timeZone: "UTC" }, NOW);
    expect(iso(s.nextRunAt)).toBe("2026-03-28T12:00:10.000Z");
  });

  test.each([
    ["not a cron"],
    [""],
    ["* * * *"],
    ["* * * * * * *"],
    ["61 * * * *"],
    ["* 25 * * *"],
    ["@daily"],
    ["0 0 30 2 *"],
    ["x".repeat(300)],
  ])("cron %p is INVALID_ARGUMENT naming cron", (cron) => {
    expect(fieldsOf(() => validateNewSchedule({ ...valid, cron }, NOW))).toEqual(["cron"]);
  });

  test.each([["Mars/Olympus"], ["not a zone"], ["Europe/Berlin\u0000"]])(
    "time zone %p is INVALID_ARGUMENT naming time_zone",
    (timeZone) => {
      expect(fieldsOf(() => validateNewSchedule({ ...valid, timeZone }, NOW))).toEqual(["time_zone"]);
    },
  );

  test("bad name, owner and job template fields are all named", () => {
    expect(
      fieldsOf(() =>
        validateNewSchedule(
          { ...valid, name: "", owner: "", job: { name: "", kind: "no spaces!", payload: "{", maxAttempts: 101 } },
          NOW,
        ),
      ).sort(),
    ).toEqual(["job.kind", "job.max_attempts", "job.name", "job.payload", "name", "owner"]);
  });
});

describe("next runs across daylight-saving changes", () => {
  test("Europe/Berlin spring forward: 02:30 does not exist on 29 March, so it runs at 03:00 CEST, then 02:30 again", () => {
    expect(iso(nextRunAfter("30 2 * * *", "Europe/Berlin", NOW))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(nextRunAfter("30 2 * * *", "Europe/Berlin", new Date("2026-03-29T01:00:00Z")))).toBe(
      "2026-03-30T00:30:00.000Z",
    );
  });

  test("Europe/Berlin fall back: 02:30 happens twice on 25 October, the schedule runs once", () => {
    const first = nextRunAfter("30 2 * * *", "Europe/Berlin", new Date("2026-10-24T12:00:00Z"));
    expect(iso(first)).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(nextRunAfter("30 2 * * *", "Europe/Berlin", first!))).toBe("2026-10-26T01:30:00.000Z");
  });

  const hourlyRuns = (from: string, to: string) => {
    const runs: Date[] = [];
    let t = new Date(from);
    for (;;) {
      t = nextRunAfter("0 * * * *", "Europe/Berlin", t)!;
      if (t >= new Date(to)) return runs;
      runs.push(t);
    }
  };

  test("hourly in Europe/Berlin: the short day has 23 runs, the long day 25, always an hour apart", () => {
    // From local midnight (exclusive) to the next local midnight (exclusive), plus midnight itself.
    const short = hourlyRuns("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z");
    const long = hourlyRuns("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
    expect(short.length + 1).toBe(23);
    expect(long.length + 1).toBe(25);
    for (const runs of [short, long])
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime() - runs[i - 1]!.getTime()).toBe(3_600_000);
  });

  test("America/New_York 09:00 moves from 14:00 to 13:00 UTC on 8 March", () => {
    expect(iso(nextRunAfter("0 9 * * *", "America/New_York", new Date("2026-03-07T00:00:00Z")))).toBe(
      "2026-03-07T14:00:00.000Z",
    );
    expect(iso(nextRunAfter("0 9 * * *", "America/New_York", new Date("2026-03-08T00:00:00Z")))).toBe(
      "2026-03-08T13:00:00.000Z",
    );
  });
});

describe("firing, pausing and resuming", () => {
  const schedule = (over: Partial<Schedule> = {}): Schedule => ({
    id: 7,
    name: "every minute",
    cron: "* * * * *",
    timeZone: "UTC",
    job: { name: "tick", kind: "noop", payload: null, maxAttempts: 3 },
    owner: "alice",
    paused: false,
    nextRunAt: new Date("2026-01-01T00:01:00Z"),
    lastRunAt: null,
    lastJobId: null,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-01T00:00:00Z"),
    ...over,
  });

  test("a firing's job is the template, as the owner, keyed by schedule id and scheduled time", () => {
    expect(firingJob(schedule(), new Date("2026-01-01T00:01:00Z"))).toEqual({
      name: "tick",
      kind: "noop",
      payload: null,
      maxAttempts: 3,
      priority: 0,
      queue: "default",
      runAt: null,
      expiresAt: null,
      timeoutSeconds: 0,
      backoff: null,
      owner: "alice",
      idempotencyKey: `schedule:7:${Date.parse("2026-01-01T00:01:00Z")}`,
    });
  });

  test("on time: the next run is the next time", () => {
    const s = fired(schedule(), new Date("2026-01-01T00:01:00Z"), new Date("2026-01-01T00:01:00.300Z"));
    expect([iso(s.lastRunAt), iso(s.nextRunAt)]).toEqual(["2026-01-01T00:01:00.000Z", "2026-01-01T00:02:00.000Z"]);
  });

  test("catch-up after downtime: the missed time fires once, and the next run is after now (no burst)", () => {
    const s = fired(schedule(), new Date("2026-01-01T00:01:00Z"), new Date("2026-01-01T05:30:10Z"));
    expect([iso(s.lastRunAt), iso(s.nextRunAt)]).toEqual(["2026-01-01T00:01:00.000Z", "2026-01-01T05:31:00.000Z"]);
  });

  test("pause clears the next run; resume continues from the next time after now; twice is FAILED_PRECONDITION", () => {
    const paused = pause(schedule(), new Date("2026-01-01T00:00:30Z"));
    expect([paused.paused, paused.nextRunAt]).toEqual([true, null]);
    expect(() => pause(paused, NOW)).toThrow("already paused");
    const resumed = resume(paused, new Date("2026-01-01T09:15:20Z"));
    expect([resumed.paused, iso(resumed.nextRunAt)]).toEqual([false, "2026-01-01T09:16:00.000Z"]);
    expect(() => resume(resumed, NOW)).toThrow("not paused");
  });
});
