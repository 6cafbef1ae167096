// Recurring schedules in SQL, and the lease that makes one jobs replica at a
// time the one that fires them (the pipelines orchestrator's pattern: one
// atomic UPDATE takes or renews the lease, on SQLite and PostgreSQL alike).
import type { Db, PageRequest } from "@platform/kit";
import type { NewSchedule, Schedule } from "../domain/schedule";

interface ScheduleRow {
  id: unknown;
  name: string;
  cron: string;
  time_zone: string;
  job_name: string;
  job_kind: string;
  job_payload: string | null;
  job_max_attempts: unknown;
  owner: string;
  paused: unknown;
  next_run_at: unknown;
  last_run_at: unknown;
  last_job_id?: unknown;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS =
  "id, name, cron, time_zone, job_name, job_kind, job_payload, job_max_attempts, owner, paused, next_run_at, last_run_at, created_at, updated_at";

/**
 * The schedules with the job of each one's latest firing: found by the firing's idempotency key
 * ("schedule:<id>:<last_run_at ms>", firingKey) through jobs_owner_idempotency_key, so nothing more is stored.
 */
const SELECT = `SELECT ${COLUMNS.split(", ")
  .map((c) => `s.${c}`)
  .join(", ")}, j.id AS last_job_id
  FROM schedules s LEFT JOIN jobs j ON s.last_run_at IS NOT NULL AND j.owner = s.owner
    AND j.idempotency_key = 'schedule:' || CAST(s.id AS TEXT) || ':' || CAST(s.last_run_at AS TEXT)`;

const maybeDate = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)));
const ms = (d: Date | null) => (d === null ? null : d.getTime());

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: Number(row.id),
    name: row.name,
    cron: row.cron,
    timeZone: row.time_zone,
    job: {
      name: row.job_name,
      kind: row.job_kind,
      payload: row.job_payload,
      maxAttempts: Number(row.job_max_attempts),
    },
    owner: row.owner,
    paused: Number(row.paused) === 1,
    nextRunAt: maybeDate(row.next_run_at),
    lastRunAt: maybeDate(row.last_run_at),
    lastJobId: row.last_job_id === null || row.last_job_id === undefined ? null : Number(row.last_job_id),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/** The lease row the scheduler's leader holds. */
export const SCHEDULER_LEASE = "schedules";

export class SqlScheduleRepository {
  constructor(private readonly db: Db) {}

  async create(schedule: NewSchedule, now: Date): Promise<Schedule> {
    const t = now.getTime();
    const row = await this.db.get<ScheduleRow>(
      `INSERT INTO schedules (name, cron, time_zone, job_name, job_kind, job_payload, job_max_attempts, owner, paused, next_run_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${COLUMNS}`,
      [
        schedule.name,
        schedule.cron,
        schedule.timeZone,
        schedule.job.name,
        schedule.job.kind,
        schedule.job.payload,
        schedule.job.maxAttempts,
        schedule.owner,
        schedule.paused ? 1 : 0,
        ms(schedule.nextRunAt),
        t,
      ],
    );
    return toSchedule(row!);
  }

  async get(id: number): Promise<Schedule | undefined> {
    const row = await this.db.get<ScheduleRow>(`${SELECT} WHERE s.id = $1`, [id]);
    return row && toSchedule(row);
  }

  /** Up to `limit + 1` schedules with ids above the cursor, in id order, optionally of one owner. */
  async listAfter({ afterId, limit }: PageRequest, owner?: string): Promise<Schedule[]> {
    const rows =
      owner === undefined
        ? await this.db.all<ScheduleRow>(`${SELECT} WHERE s.id > $1 ORDER BY s.id LIMIT $2`, [afterId, limit + 1])
        : await this.db.all<ScheduleRow>(`${SELECT} WHERE s.owner = $1 AND s.id > $2 ORDER BY s.id LIMIT $3`, [
            owner,
            afterId,
            limit + 1,
          ]);
    return rows.map(toSchedule);
  }

  /** Unpaused schedules whose next run is at or before `now`, the most overdue first. */
  async due(now: Date, limit: number): Promise<Schedule[]> {
    const rows = await this.db.all<ScheduleRow>(
      `SELECT ${COLUMNS} FROM schedules WHERE paused = 0 AND next_run_at <= $1 ORDER BY next_run_at, id LIMIT $2`,
      [now.getTime(), limit],
    );
    return rows.map(toSchedule);
  }

  /**
   * Writes `schedule`'s state if the stored one still has `expectedNextRunAt`
   * and `expectedPaused` (compare and set): false when someone else changed it first.
   */
  async update(schedule: Schedule, expected: { nextRunAt: Date | null; paused: boolean }): Promise<boolean> {
    const rows = await this.db.all(
      `UPDATE schedules SET paused = $2, next_run_at = $3, last_run_at = $4, updated_at = $5
       WHERE id = $1 AND paused = $6 AND ${expected.nextRunAt === null ? "next_run_at IS NULL" : "next_run_at = $7"} RETURNING id`,
      [
        schedule.id,
        schedule.paused ? 1 : 0,
        ms(schedule.nextRunAt),
        ms(schedule.lastRunAt),
        schedule.updatedAt.getTime(),
        expected.paused ? 1 : 0,
        ...(expected.nextRunAt === null ? [] : [expected.nextRunAt.getTime()]),
      ],
    );
    return rows.length > 0;
  }

  /** Deletes it; false when it was already gone. */
  async delete(id: number): Promise<boolean> {
    return (await this.db.all("DELETE FROM schedules WHERE id = $1 RETURNING id", [id])).length > 0;
  }

  /**
   * Takes or renews the leader lease for `leaseMs`: true when `owner` holds it
   * now (it was free, expired, or already this owner's). One atomic UPDATE.
   */
  async acquireLease(owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const rows = await this.db.all(
      `UPDATE scheduler_leases SET lease_owner = $2, lease_expires_at = $3
       WHERE name = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at <= $4) RETURNING name`,
      [SCHEDULER_LEASE, owner, now.getTime() + leaseMs, now.getTime()],
    );
    return rows.length > 0;
  }

  /** Gives the lease up (on stop), if `owner` holds it, so another replica takes over at once. */
  async releaseLease(owner: string): Promise<void> {
    await this.db.all(
      "UPDATE scheduler_leases SET lease_owner = NULL, lease_expires_at = 0 WHERE name = $1 AND lease_owner = $2",
      [SCHEDULER_LEASE, owner],
    );
  }
}
