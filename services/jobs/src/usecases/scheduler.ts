// Recurring schedules: their use cases (create, read, list, pause, resume,
// delete, with owner conditions like jobs'), and the scheduler that fires the
// due ones. Every jobs replica runs a scheduler; only the one holding the lease
// (a row in the database, taken and renewed by one atomic UPDATE) fires. Each
// firing creates its job with an idempotency key made of the schedule's id and
// the scheduled time, and then moves the schedule on with a compare-and-set, so
// even two replicas that both believe they lead never create a time's job twice.
import { InvalidArgumentError, NotFoundError, type Logger, type PageRequest } from "@platform/kit";
import { randomUUID } from "node:crypto";
import * as domain from "../domain/schedule";
import type { NewSchedule, Schedule } from "../domain/schedule";
import type { SqlScheduleRepository } from "../store/scheduleRepository";
import type { JobService } from "./jobService";

export type Clock = () => Date;
const systemClock: Clock = () => new Date();
const CONFLICT_RETRIES = 10;

export class ScheduleService {
  constructor(
    private readonly repository: SqlScheduleRepository,
    private readonly clock: Clock = systemClock,
  ) {}

  create(schedule: NewSchedule): Promise<Schedule> {
    return this.repository.create(schedule, this.clock());
  }

  /** The schedule, if `owner` is empty (any owner) or owns it; another owner's is NOT_FOUND. */
  async get(id: number, owner = ""): Promise<Schedule> {
    const schedule = await this.repository.get(id);
    if (!schedule || (owner !== "" && schedule.owner !== owner)) throw new NotFoundError(`schedule ${id} not found`);
    return schedule;
  }

  list(page: PageRequest, owner = ""): Promise<Schedule[]> {
    return this.repository.listAfter(page, owner || undefined);
  }

  pause(id: number, owner = ""): Promise<Schedule> {
    return this.change(id, owner, (s, now) => domain.pause(s, now));
  }

  resume(id: number, owner = ""): Promise<Schedule> {
    return this.change(id, owner, (s, now) => domain.resume(s, now));
  }

  async delete(id: number, owner = ""): Promise<Schedule> {
    const schedule = await this.get(id, owner);
    if (!(await this.repository.delete(id))) throw new NotFoundError(`schedule ${id} not found`);
    return schedule;
  }

  private async change(id: number, owner: string, transition: (s: Schedule, now: Date) => Schedule) {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = await this.get(id, owner);
      const next = transition(current, this.clock());
      if (await this.repository.update(next, current)) return next;
    }
    throw new Error(`schedule ${id} kept changing; try again`);
  }
}

export interface SchedulerOptions {
  /** How often the scheduler looks for due schedules (and renews its lease). */
  intervalMs: number;
  /** How long the lease lasts without renewal: another replica takes over after it. */
  leaseMs: number;
  /** At most this many schedules fire per tick. */
  batchSize: number;
  clock?: Clock;
  /** Tells this scheduler apart in the lease row; random by default. */
  id?: string;
}

/** Once a second; a lease that outlives a few missed renewals; bounded batches. */
export const SCHEDULER_DEFAULTS: SchedulerOptions = { intervalMs: 1000, leaseMs: 10_000, batchSize: 100 };

export class Scheduler {
  readonly id: string;
  private readonly clock: Clock;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly repository: SqlScheduleRepository,
    private readonly jobs: Pick<JobService, "create">,
    private readonly options: SchedulerOptions,
    private readonly logger: Logger,
  ) {
    this.id = options.id ?? randomUUID();
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.repository.releaseLease(this.id).catch((error: unknown) => {
      this.logger.warn({ err: error }, "releasing the scheduler lease failed");
    });
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, "scheduler tick failed"))
        .finally(() => {
          if (!this.stopped) this.schedule(this.options.intervalMs);
        });
    }, delayMs);
  }

  /**
   * One pass: when this scheduler holds (or takes) the lease, fires up to a
   * batch of due schedules; how many it fired. Tests call it directly.
   */
  async tick(): Promise<number> {
    const now = this.clock();
    if (!(await this.repository.acquireLease(this.id, now, this.options.leaseMs))) return 0;
    let count = 0;
    for (const schedule of await this.repository.due(now, this.options.batchSize)) {
      // One schedule's failure (its database write, say) does not hold up the others; it is due again next tick.
      try {
        if (await this.fire(schedule, now)) count++;
      } catch (error) {
        this.logger.warn({ scheduleId: schedule.id, err: error }, "schedule firing failed; it stays due");
      }
    }
    return count;
  }

  /**
   * Creates the job for the schedule's stored next run (late or not: the
   * catch-up policy fires a missed time once), then moves the schedule to its
   * next run after now; false when another scheduler moved it first.
   */
  async fire(schedule: Schedule, now: Date): Promise<boolean> {
    const scheduledAt = schedule.nextRunAt;
    if (scheduledAt === null || schedule.paused) return false;
    try {
      const { job, replayed } = await this.jobs.create(domain.firingJob(schedule, scheduledAt));
      this.logger.info(
        { scheduleId: schedule.id, jobId: job.id, scheduledAt: scheduledAt.toISOString(), replayed },
        replayed ? "schedule firing already done" : "schedule fired",
      );
    } catch (error) {
      // The key is taken by a job with another request (its owner created one by hand): skip this time, loudly.
      if (!(error instanceof InvalidArgumentError)) throw error;
      this.logger.warn({ scheduleId: schedule.id, err: error }, "schedule firing skipped");
    }
    const moved = await this.repository.update(domain.fired(schedule, scheduledAt, now), schedule);
    return moved;
  }
}
