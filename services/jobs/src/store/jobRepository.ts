import type { PageRequest } from "@platform/kit";
import type { Job, JobStatus, NewJob } from "../domain/job";

/** How many jobs of one kind in one queue are in one status; for PENDING, when the oldest was created. */
export interface StatusCount {
  kind: string;
  queue: string;
  status: JobStatus;
  count: number;
  oldestCreatedAt: Date;
}

/** Which jobs a list returns; an absent field: any. */
export interface JobFilter {
  status?: JobStatus;
  owner?: string;
  kind?: string;
  queue?: string;
}

/** A job that became ready to claim (PENDING), as another replica announced it. */
export interface ReadyJob {
  kind: string;
  queue: string;
  /** When it may be claimed. */
  runAfter: Date;
}

/**
 * Where jobs live. A write that leaves a job PENDING (create, save) announces it
 * to the other replicas in the same statement (PostgreSQL NOTIFY, delivered on
 * commit); `onReady` hears them. Every such write is also announced by id
 * to the job's watchers on other replicas; `onChanged` hears those.
 */
export interface JobRepository {
  /**
   * Inserts the job (`created`); with an idempotency key its owner already used,
   * inserts nothing and returns the job created first (`created: false`).
   */
  create(job: NewJob, now: Date): Promise<{ job: Job; created: boolean }>;
  /** Inserts every job (none with an idempotency key) in one transaction: all or none; in order. */
  createMany(jobs: readonly NewJob[], now: Date): Promise<Job[]>;
  get(id: number): Promise<Job | undefined>;
  /** Up to `limit + 1` jobs with ids above the cursor, in id order, optionally of one status, owner, kind and queue. */
  listAfter(page: PageRequest, filter?: JobFilter): Promise<Job[]>;
  /** Writes `job` if it is still at `job.version`; the stored job, or undefined when someone else changed it first. */
  save(job: Job): Promise<Job | undefined>;
  /** save() for each job, in one transaction; for each (in order) the stored job, or undefined when it had changed. */
  saveMany(jobs: readonly Job[]): Promise<Array<Job | undefined>>;
  /** The jobs of these ids that exist, in any order. */
  getMany(ids: readonly number[]): Promise<Job[]>;
  /**
   * Atomically (one statement) leases up to `leaseTokenHashes.length` runnable PENDING jobs (of one of
   * `kinds` and in one of `queues`, when given) to the worker: the highest priority first, then the oldest
   * run_after, then the lowest id. A job never started whose expires_at passed is not runnable (the expiry
   * sweep fails it). Each job is leased under its own new lease token (the n-th job in claim order gets the n-th hash); the latest lease's hash
   * becomes the previous one. The jobs come back in claim order; none: an empty list.
   */
  claim(
    workerId: string,
    leaseSeconds: number,
    kinds: readonly string[],
    leaseTokenHashes: readonly string[],
    now: Date,
    queues?: readonly string[],
  ): Promise<Job[]>;
  /** RUNNING jobs whose lease ran out before `now`. */
  expiredLeases(now: Date, limit: number): Promise<Job[]>;
  /** When the next PENDING job (of `kinds`, in `queues`; empty: any) not yet due becomes due; undefined: none. */
  nextRunAfter(kinds: readonly string[], queues: readonly string[], now: Date): Promise<Date | undefined>;
  /** RUNNING jobs whose attempt ran past its run deadline (timeout) before `now`. */
  timedOutRuns(now: Date, limit: number): Promise<Job[]>;
  /** PENDING jobs never started whose expires_at is before `now`, the earliest first. */
  expiredPending(now: Date, limit: number): Promise<Job[]>;
  /** Counts per kind, queue and status, of one owner's jobs when given. */
  countByKindAndStatus(owner?: string): Promise<StatusCount[]>;
  /** Deletes up to `limit` SUCCEEDED, FAILED or CANCELLED jobs that finished before `cutoff`; how many. */
  deleteFinishedBefore(cutoff: Date, limit: number): Promise<number>;
  /** Calls `listener` for each job other replicas made ready; resolves once listening, with a function that stops. */
  onReady(listener: (job: ReadyJob) => void): Promise<() => Promise<void>>;
  /**
   * Calls `listener` with the id of each job other replicas wrote (create, save;
   * PostgreSQL NOTIFY; SQLite has no other replicas to hear); resolves once listening.
   */
  onChanged(listener: (id: number) => void): Promise<() => Promise<void>>;
}
