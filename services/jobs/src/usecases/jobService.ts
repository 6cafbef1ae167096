// The jobs use cases: load, apply a domain transition, save with an optimistic
// version check (retrying when another call or replica changed the job first),
// and tell in-process watchers. Also sweeps expired leases now and then.
import { NotFoundError, type Logger, type PageRequest } from "@platform/kit";
import { EventEmitter } from "node:events";
import * as domain from "../domain/job";
import type { Job, JobStatus, NewJob, RetryPolicy } from "../domain/job";
import { newLeaseToken, type LeaseTokenHash } from "../domain/leaseToken";
import type { JobRepository, StatusCount } from "../store/jobRepository";
import type { JobObserver } from "./queueMetrics";

export interface JobServiceOptions {
  retry: RetryPolicy;
  /** How often expired leases are returned to PENDING (also checked on every claim). */
  sweepIntervalMs: number;
  /** Told about lease expiries and jobs reaching a final state (the metrics). */
  observer?: JobObserver;
}

const CONFLICT_RETRIES = 10;

export class JobService {
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly repository: JobRepository,
    private readonly options: JobServiceOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.sweeper ??= setInterval(() => {
      this.sweepExpiredLeases().catch((error: unknown) => this.logger.warn({ err: error }, "lease sweep failed"));
    }, this.options.sweepIntervalMs);
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Calls `listener` with the job after every change this process makes to it. */
  onChange(id: number, listener: (job: Job) => void): () => void {
    this.changes.on(String(id), listener);
    return () => void this.changes.off(String(id), listener);
  }

  private changed(job: Job): Job {
    this.changes.emit(String(job.id), job);
    return job;
  }

  async create(job: NewJob): Promise<Job> {
    return this.changed(await this.repository.create(job, new Date()));
  }

  /**
   * The job, if `owner` is empty (any owner) or owns it. Another owner's job is
   * NOT_FOUND, worded like a missing one, so its id reveals nothing.
   */
  async get(id: number, owner = ""): Promise<Job> {
    const job = await this.repository.get(id);
    if (!job || (owner !== "" && job.owner !== owner)) throw new NotFoundError(`job ${id} not found`);
    return job;
  }

  /** Every owner's jobs when `owner` is empty. */
  list(page: PageRequest, status?: JobStatus, owner = ""): Promise<Job[]> {
    return this.repository.listAfter(page, status, owner || undefined);
  }

  /** Counts per kind and status; every owner's when `owner` is empty. */
  stats(owner = ""): Promise<StatusCount[]> {
    return this.repository.countByKindAndStatus(owner || undefined);
  }

  /** Leases a job; the token is returned once, here, and only its hash is kept. */
  async claim(
    workerId: string,
    leaseSeconds: number,
    kinds: readonly string[],
  ): Promise<{ job: Job; leaseToken: string } | undefined> {
    await this.sweepExpiredLeases();
    const lease = newLeaseToken();
    const job = await this.repository.claim(workerId, leaseSeconds, kinds, lease.hash, new Date());
    return job && { job: this.changed(job), leaseToken: lease.token };
  }

  heartbeat(id: number, leaseToken: LeaseTokenHash, leaseSeconds: number): Promise<Job> {
    return this.transition(id, "", (job, now) => domain.heartbeat(job, leaseToken, leaseSeconds, now));
  }

  complete(id: number, leaseToken: LeaseTokenHash, result: string | null): Promise<Job> {
    return this.transition(id, "", (job, now) => domain.complete(job, leaseToken, result, now));
  }

  fail(id: number, leaseToken: LeaseTokenHash, error: string): Promise<Job> {
    return this.transition(id, "", (job, now) => domain.fail(job, leaseToken, error, now, this.options.retry));
  }

  cancel(id: number, owner = ""): Promise<Job> {
    return this.transition(id, owner, (job, now) => domain.cancel(job, now));
  }

  /** Returns expired leases to PENDING (or FAILED when no attempts are left). */
  async sweepExpiredLeases(): Promise<number> {
    let count = 0;
    for (const job of await this.repository.expiredLeases(new Date(), 100)) {
      const expired = domain.expireLease(job, new Date(), this.options.retry);
      const saved = expired && (await this.repository.save(expired));
      if (saved) {
        count++;
        this.logger.info({ jobId: job.id, workerId: job.workerId, status: saved.status }, "lease expired");
        this.options.observer?.leaseExpired(saved);
        if (domain.isFinal(saved.status)) this.options.observer?.finished(saved);
        this.changed(saved);
      }
    }
    return count;
  }

  private async transition(id: number, owner: string, change: (job: Job, now: Date) => Job): Promise<Job> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const job = await this.get(id, owner);
      const saved = await this.repository.save(change(job, new Date()));
      if (!saved) continue;
      if (domain.isFinal(saved.status) && !domain.isFinal(job.status)) this.options.observer?.finished(saved);
      return this.changed(saved);
    }
    throw new Error(`job ${id} kept changing under concurrent updates`);
  }
}
