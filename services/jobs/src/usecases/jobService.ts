// The jobs use cases: load, apply a domain transition, save with an optimistic
// version check (retrying when another call or replica changed the job first),
// and tell in-process watchers. Also sweeps expired leases now and then.
// A claim may wait for a job (a long poll): it is woken by this replica's own
// writes at once, and on PostgreSQL by other replicas' (LISTEN/NOTIFY).
import { FailedPreconditionError, NotFoundError, type Logger, type PageRequest } from "@platform/kit";
import { EventEmitter } from "node:events";
import * as domain from "../domain/job";
import type { Job, NewJob, RetryPolicy } from "../domain/job";
import { newLeaseToken, type LeaseTokenHash } from "../domain/leaseToken";
import type { JobFilter, JobRepository, StatusCount } from "../store/jobRepository";
import { ClaimWaiters } from "./claimWaiters";
import { completeMany, type Completion, type CompletionResult } from "./completeMany";
import { LeasedJobs } from "./leasedJobs";
import type { JobObserver } from "./queueMetrics";

export interface JobServiceOptions {
  retry: RetryPolicy;
  /**
   * How often expired leases and timed-out attempts are returned to PENDING
   * (or FAILED) and PENDING jobs past their expires_at are failed. Only the sweep does it
   * (a claim no longer sweeps first); the job it returns wakes a waiting claim.
   */
  sweepIntervalMs: number;
  /** Told about lease expiries and jobs reaching a final state (the metrics). */
  observer?: JobObserver;
}

export interface ClaimOptions {
  /** How long to wait for a job when none is ready; 0: answer at once. */
  waitMs?: number;
  /** Stops the wait (the caller went away): nothing is claimed after it aborts. */
  signal?: AbortSignal | undefined;
  /** Only jobs in these queues; empty: any queue. */
  queues?: readonly string[];
  /** Up to this many jobs in one claim (claimMany); 1 by default. */
  maxJobs?: number;
}

export type { Completion, CompletionResult };

/** claimMany()'s arguments. */
export type ClaimArgs = [workerId: string, leaseSeconds: number, kinds: readonly string[], options?: ClaimOptions];

export interface ClaimedJob {
  job: Job;
  leaseToken: string;
}

const CONFLICT_RETRIES = 10;

export interface RetryResult {
  id: number;
  outcome: "RETRIED" | "NOT_FOUND" | "NOT_RETRYABLE";
  /** The job now; null when NOT_FOUND. */
  job: Job | null;
  message: string;
}

export class JobService {
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly waiters = new ClaimWaiters();
  /** The jobs this replica leased: their completions skip a read (completeMany). */
  private readonly leased = new LeasedJobs();
  private stopListening: (() => Promise<void>) | undefined;
  /** Other replicas' writes, by job id: wakes this replica's watchers of the job. */
  private readonly remoteChanges = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly repository: JobRepository,
    private readonly options: JobServiceOptions,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.sweeper ??= setInterval(() => {
      this.sweepExpiredLeases().catch((error: unknown) => this.logger.warn({ err: error }, "lease sweep failed"));
      this.sweepExpiredJobs().catch((error: unknown) => this.logger.warn({ err: error }, "expiry sweep failed"));
      this.sweepTimedOutRuns().catch((error: unknown) => this.logger.warn({ err: error }, "timeout sweep failed"));
    }, this.options.sweepIntervalMs);
    if (this.stopListening) return;
    const stopReady = await this.repository.onReady((job) =>
      this.waiters.readyAt(job.kind, job.runAfter.getTime(), job.queue),
    );
    const stopChanged = await this.repository.onChanged((id) => this.remoteChanges.emit(String(id)));
    this.stopListening = async () => {
      await Promise.all([stopReady(), stopChanged()]);
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.waiters.clear();
    const stopListening = this.stopListening;
    this.stopListening = undefined;
    await stopListening?.();
  }

  /** How many claims are waiting for a job now. */
  get waitingClaims(): number {
    return this.waiters.size;
  }

  /** Calls `listener` with the job after every change this process makes to it. */
  onChange(id: number, listener: (job: Job) => void): () => void {
    this.changes.on(String(id), listener);
    return () => void this.changes.off(String(id), listener);
  }

  /**
   * Calls `listener` after a change to the job by this process or, on
   * PostgreSQL, by another replica (then without the job: re-read it).
   */
  onAnyChange(id: number, listener: () => void): () => void {
    const local = this.onChange(id, () => listener());
    this.remoteChanges.on(String(id), listener);
    return () => {
      local();
      this.remoteChanges.off(String(id), listener);
    };
  }

  private changed(job: Job): Job {
    this.changes.emit(String(job.id), job);
    if (job.status === "PENDING") this.waiters.readyAt(job.kind, job.runAfter.getTime(), job.queue);
    return job;
  }

  /**
   * Creates the job; `replayed` when its idempotency key (per owner) was used
   * before with the same request: nothing is created, the first job comes back.
   * The same key with another request is INVALID_ARGUMENT.
   */
  async create(job: NewJob): Promise<{ job: Job; replayed: boolean }> {
    const { job: stored, created } = await this.repository.create(job, new Date());
    if (!created) return { job: domain.checkReplay(stored, job), replayed: true };
    return { job: this.changed(stored), replayed: false };
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

  /** The jobs `filter` keeps (an absent field: any), in id order. */
  list(page: PageRequest, filter: JobFilter = {}): Promise<Job[]> {
    return this.repository.listAfter(page, filter);
  }

  /** Counts per kind and status; every owner's when `owner` is empty. */
  stats(owner = ""): Promise<StatusCount[]> {
    return this.repository.countByKindAndStatus(owner || undefined);
  }

  /**
   * Creates every job in one transaction (all or none; none may carry an idempotency key),
   * waking one waiting claim per job.
   */
  async createMany(jobs: readonly NewJob[]): Promise<Job[]> {
    const created = await this.repository.createMany(jobs, new Date());
    return created.map((job) => this.changed(job));
  }

  /**
   * Leases a job; the token is returned once, here, and only its hash is kept.
   * With `waitMs`, waits up to that long for one to become ready.
   */
  async claim(
    workerId: string,
    leaseSeconds: number,
    kinds: readonly string[],
    options: ClaimOptions = {},
  ): Promise<ClaimedJob | undefined> {
    return (await this.claimMany(workerId, leaseSeconds, kinds, { ...options, maxJobs: 1 }))[0];
  }

  /**
   * Leases up to `maxJobs` ready jobs in one statement, each under its own token (claim order:
   * highest priority, then oldest). With `waitMs`, waits until at least one is ready.
   */
  async claimMany(
    workerId: string,
    leaseSeconds: number,
    kinds: readonly string[],
    { waitMs = 0, signal, queues = [], maxJobs = 1 }: ClaimOptions = {},
  ): Promise<ClaimedJob[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Registered before the attempt: a job made ready meanwhile still wakes this claim.
      const waiter = waitMs > 0 ? this.waiters.register(kinds, queues) : undefined;
      if (signal?.aborted) {
        waiter?.leave();
        return [];
      }
      const leases = Array.from({ length: Math.max(1, maxJobs) }, () => newLeaseToken());
      const claimedAt = new Date();
      let jobs: Job[];
      try {
        jobs = await this.repository.claim(
          workerId,
          leaseSeconds,
          kinds,
          leases.map((lease) => lease.hash),
          claimedAt,
          queues,
        );
        // The caller went away while the statement ran: nobody will hear of these leases, so they are
        // undone here rather than left to expire (which would use an attempt and delay the jobs).
        if (signal?.aborted && jobs.length > 0) {
          waiter?.leave();
          await this.unclaim(jobs);
          return [];
        }
      } catch (error) {
        waiter?.leave();
        throw error;
      }
      if (jobs.length > 0) {
        // Woken for one job, it may have taken others: the wake-up goes on to the next waiter. A full
        // batch may have left more ready jobs behind whose wake-ups it used up: wake one waiter per
        // kind and queue it took, so none is left asleep beside a ready job.
        if (waiter?.leave() || (leases.length > 1 && jobs.length === leases.length)) {
          const seen = new Set<string>();
          for (const job of jobs) {
            const key = `${job.kind} ${job.queue}`;
            if (seen.has(key)) continue;
            seen.add(key);
            this.waiters.ready(job.kind, job.queue);
          }
        }
        for (const job of jobs) this.leased.hold(job);
        const tokens = new Map(leases.map((lease) => [lease.hash as string, lease.token]));
        return jobs.map((job) => ({ job: this.changed(job), leaseToken: tokens.get(job.leaseTokenHash ?? "")! }));
      }
      if (!waiter) return [];
      // Until a job it could take becomes due, at the latest (its timer may live in another replica,
      // or in this one before a restart).
      let next: Date | undefined;
      try {
        next = await this.repository.nextRunAfter(kinds, queues, new Date());
      } catch (error) {
        waiter.leave();
        throw error;
      }
      const wakeAt = next ? Math.min(deadline, next.getTime() + 1) : deadline;
      if (!(await waiter.wait(wakeAt, signal)) && (signal?.aborted || Date.now() >= deadline)) return [];
    }
  }

  /** Back to PENDING, the attempt not counted (domain.unclaim); each job returned wakes a waiting claim. */
  private async unclaim(jobs: readonly Job[], why = "claim cancelled by its caller"): Promise<void> {
    const now = new Date();
    for (const job of jobs) this.leased.take(job.id);
    const saved = await this.repository.saveMany(jobs.flatMap((job) => domain.unclaim(job, now) ?? []));
    const released = saved.filter((job) => job !== undefined);
    this.logger.info({ jobIds: released.map((job) => job.id) }, `${why}: leases released`);
    for (const job of released) this.changed(job);
  }

  heartbeat(id: number, leaseToken: LeaseTokenHash, leaseSeconds: number): Promise<Job> {
    return this.transition(id, "", (job, now) => domain.heartbeat(job, leaseToken, leaseSeconds, now), {
      leased: true,
    });
  }

  complete(id: number, leaseToken: LeaseTokenHash, result: string | null): Promise<Job> {
    return this.transition(id, "", (job, now) => domain.complete(job, leaseToken, result, now), { leased: true });
  }

  fail(id: number, leaseToken: LeaseTokenHash, error: string): Promise<Job> {
    return this.transition(id, "", (job, now) => domain.fail(job, leaseToken, error, now, this.options.retry), {
      leased: true,
    });
  }

  /** complete() or fail() for many leased jobs at once (completeMany); one item's outcome never stops the others. */
  completeMany(items: readonly Completion[]): Promise<CompletionResult[]> {
    const { repository, options } = this;
    return completeMany(items, { repository, ...options, leased: this.leased, changed: (job) => this.changed(job) });
  }

  /**
   * completeMany(), and with `thenClaim` claimMany() beside it, at once rather than after: on SQLite both
   * commit together, on PostgreSQL they run on two connections at once. So the claim never takes a job the
   * report puts back (a retry); the next claim finds it. When the report fails, the jobs the claim leased
   * are given back (as for a claim whose caller went away) and the report's error is thrown.
   */
  async completeManyThenClaim(
    items: readonly Completion[],
    thenClaim?: ClaimArgs,
  ): Promise<{ results: CompletionResult[]; claimed: ClaimedJob[] }> {
    if (!thenClaim) return { results: await this.completeMany(items), claimed: [] };
    const claiming = this.claimMany(...thenClaim);
    claiming.catch(() => {}); // its failure is the caller's once the report is in, or moot if the report fails
    let results: CompletionResult[];
    try {
      results = await this.completeMany(items);
    } catch (error) {
      const jobs = (await claiming.catch(() => [])).map(({ job }) => job);
      if (jobs.length > 0)
        await this.unclaim(jobs, "the report beside the claim failed").catch((unclaimError: unknown) =>
          this.logger.warn(
            { err: unclaimError, jobIds: jobs.map((job) => job.id) },
            "leases not released: they expire",
          ),
        );
      throw error;
    }
    return { results, claimed: await claiming };
  }

  cancel(id: number, owner = ""): Promise<Job> {
    return this.transition(id, owner, (job, now) => domain.cancel(job, now));
  }

  /** FAILED or CANCELLED → PENDING, claimable now, attempts from 0 (domain.retry). */
  retry(id: number, owner = ""): Promise<Job> {
    return this.transition(id, owner, (job, now) => domain.retry(job, now));
  }

  /** retry() for each id in turn; one id's outcome never stops the others. */
  async retryMany(ids: readonly number[], owner = ""): Promise<RetryResult[]> {
    const results: RetryResult[] = [];
    for (const id of ids) {
      try {
        results.push({ id, outcome: "RETRIED", job: await this.retry(id, owner), message: "" });
      } catch (error) {
        if (error instanceof NotFoundError)
          results.push({ id, outcome: "NOT_FOUND", job: null, message: error.message });
        else if (error instanceof FailedPreconditionError)
          results.push({ id, outcome: "NOT_RETRYABLE", job: await this.get(id, owner), message: error.message });
        else throw error;
      }
    }
    return results;
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

  /** Attempts that ran past their timeout: failed attempts (domain.timeOut), retried or FAILED. */
  async sweepTimedOutRuns(): Promise<number> {
    let count = 0;
    for (const job of await this.repository.timedOutRuns(new Date(), 100)) {
      const timedOut = domain.timeOut(job, new Date(), this.options.retry);
      const saved = timedOut && (await this.repository.save(timedOut));
      if (saved) {
        count++;
        this.logger.info({ jobId: job.id, workerId: job.workerId, status: saved.status }, "job attempt timed out");
        if (domain.isFinal(saved.status)) this.options.observer?.finished(saved);
        this.changed(saved);
      }
    }
    return count;
  }

  /** Fails PENDING jobs nobody claimed before their expires_at (domain.expire). */
  async sweepExpiredJobs(): Promise<number> {
    let count = 0;
    for (const job of await this.repository.expiredPending(new Date(), 100)) {
      const expired = domain.expire(job, new Date());
      const saved = expired && (await this.repository.save(expired));
      if (saved) {
        count++;
        this.logger.info({ jobId: job.id, kind: job.kind, queue: job.queue }, "job expired unclaimed");
        this.options.observer?.finished(saved);
        this.changed(saved);
      }
    }
    return count;
  }

  private async transition(
    id: number,
    owner: string,
    change: (job: Job, now: Date) => Job,
    { leased = false } = {},
  ): Promise<Job> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      // A worker's own job (leased = true) is first taken as this replica holds it, as completeMany does:
      // written at that version, and read afresh if it changed or the change refuses it.
      const held = leased && attempt === 0 ? this.leased.take(id) : undefined;
      const job = held ?? (await this.get(id, owner));
      let next: Job;
      try {
        next = change(job, new Date());
      } catch (error) {
        if (held) continue;
        throw error;
      }
      const saved = await this.repository.save(next);
      if (!saved) continue;
      if (domain.isFinal(saved.status) && !domain.isFinal(job.status)) this.options.observer?.finished(saved);
      // Still leased (a heartbeat): held as written, for the next heartbeat or the completion.
      if (leased && saved.status === "RUNNING") this.leased.hold(saved);
      return this.changed(saved);
    }
    throw new Error(`job ${id} kept changing under concurrent updates`);
  }
}
