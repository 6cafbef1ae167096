// What a recurring schedule is, what makes a new one valid, and when it fires.
// Pure: no transport, no storage, time passed in. Cron expressions are read by
// croner (5 fields, or 6 with seconds first) in the schedule's IANA time zone.
import { checkName, checkOwner, FailedPreconditionError, Violations } from "@platform/kit";
import { Cron } from "croner";
import { DEFAULT_QUEUE, validateNewJob, type NewJob } from "./job";

export interface JobTemplate {
  name: string;
  kind: string;
  /** JSON text, or null. */
  payload: string | null;
  maxAttempts: number;
}

export interface Schedule {
  id: number;
  name: string;
  cron: string;
  timeZone: string;
  job: JobTemplate;
  owner: string;
  paused: boolean;
  /** Null while paused, or when the expression has no future time. */
  nextRunAt: Date | null;
  /** The scheduled time of the latest firing. */
  lastRunAt: Date | null;
  /** The job the latest firing created (read, never stored: its idempotency key); null until then, or once it is gone. */
  lastJobId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewSchedule = Omit<Schedule, "id" | "lastRunAt" | "lastJobId" | "createdAt" | "updatedAt">;

export const DEFAULT_TIME_ZONE = "UTC";
export const CRON_MAX_LENGTH = 200;
export const CRON_MESSAGE =
  "must be a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)";
export const CRON_NEVER_MESSAGE = "names no time that will ever come (e.g. 30 February)";
export const TIME_ZONE_MESSAGE = 'must be an IANA time zone, e.g. "UTC" or "Europe/Berlin"';

function isTimeZone(name: string): boolean {
  if (name === "" || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function parseCron(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, mode: "5-or-6-parts", paused: true });
}

/** The first time strictly after `after` that `cron` matches in `timeZone`; null when there is none. */
export function nextRunAfter(cron: string, timeZone: string, after: Date): Date | null {
  return parseCron(cron, timeZone).nextRun(after);
}

export function validateNewSchedule(
  input: {
    name: string;
    cron: string;
    timeZone: string;
    job: { name: string; kind: string; payload: string; maxAttempts: number };
    owner: string;
    paused: boolean;
  },
  now: Date,
): NewSchedule {
  const problems = new Violations();
  const owner = checkOwner(problems, "owner", input.owner);
  const name = checkName(problems, "name", input.name);
  const timeZone = input.timeZone === "" ? DEFAULT_TIME_ZONE : input.timeZone;
  const zoneOk = isTimeZone(timeZone);
  if (!zoneOk) problems.add("time_zone", TIME_ZONE_MESSAGE);
  const cron = input.cron.trim();
  let cronOk = false;
  if (cron.length > CRON_MAX_LENGTH || !/^\S+(\s+\S+){4,5}$/.test(cron)) problems.add("cron", CRON_MESSAGE);
  else {
    try {
      if (parseCron(cron, zoneOk ? timeZone : DEFAULT_TIME_ZONE).nextRun(now) === null)
        problems.add("cron", CRON_NEVER_MESSAGE);
      else cronOk = true;
    } catch (error) {
      problems.add("cron", `${CRON_MESSAGE} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  // The job's own rules, reported under job.* (the template becomes a CreateJob later).
  const job = problems.collect(
    (): JobTemplate => {
      const valid = validateNewJob({ ...input.job, idempotencyKey: "", owner: owner || "x" });
      return { name: valid.name, kind: valid.kind, payload: valid.payload, maxAttempts: valid.maxAttempts };
    },
    (field) => `job.${field === "job_name" ? "name" : field}`,
  );
  problems.throwIfAny();
  const nextRunAt = input.paused || !cronOk ? null : nextRunAfter(cron, timeZone, now);
  return { name, cron, timeZone, job: job!, owner, paused: input.paused, nextRunAt };
}

/** The idempotency key of the job a firing at `scheduledAt` creates: the same for every replica. */
export function firingKey(scheduleId: number, scheduledAt: Date): string {
  return `schedule:${scheduleId}:${scheduledAt.getTime()}`;
}

/** The job that firing `schedule` at `scheduledAt` creates, as the schedule's owner. */
export function firingJob(schedule: Schedule, scheduledAt: Date): NewJob {
  // Schedules carry the basic template; a fired job has the defaults for the rest (priority 0, the default queue, due now).
  return {
    ...schedule.job,
    priority: 0,
    queue: DEFAULT_QUEUE,
    runAt: null,
    backoff: null,
    expiresAt: null,
    timeoutSeconds: 0,
    idempotencyKey: firingKey(schedule.id, scheduledAt),
    owner: schedule.owner,
  };
}

/**
 * After firing at `scheduledAt` (the stored next run, however late): the next
 * run is the first time after both it and `now`. Catch-up policy: times missed
 * while the service was down are not fired one by one; the first missed one
 * fires once, late, and the schedule continues from the next time after now.
 */
export function fired(schedule: Schedule, scheduledAt: Date, now: Date): Schedule {
  const from = new Date(Math.max(scheduledAt.getTime(), now.getTime()));
  return {
    ...schedule,
    lastRunAt: scheduledAt,
    nextRunAt: nextRunAfter(schedule.cron, schedule.timeZone, from),
    updatedAt: now,
  };
}

export function pause(schedule: Schedule, now: Date): Schedule {
  if (schedule.paused) throw new FailedPreconditionError(`schedule ${schedule.id} is already paused`);
  return { ...schedule, paused: true, nextRunAt: null, updatedAt: now };
}

/** Fires again from the next time after now: nothing missed while paused is fired. */
export function resume(schedule: Schedule, now: Date): Schedule {
  if (!schedule.paused) throw new FailedPreconditionError(`schedule ${schedule.id} is not paused`);
  return { ...schedule, paused: false, nextRunAt: nextRunAfter(schedule.cron, schedule.timeZone, now), updatedAt: now };
}
