// The worker SDK's public shapes: options, hooks, what a handler gets, and the
// reasons a handler's signal aborts. The behaviour is in worker.ts.
import type { GrpcTls } from "@platform/kit/grpcTls";
import type { Logger } from "@platform/kit/logger";
import type { Job__Output } from "@platform/proto/jobs";

export interface WorkerOptions {
  /** The jobs service's gRPC address, e.g. "localhost:50052". */
  jobsServiceUrl: string;
  /** A label for humans (logs, the job's worker_id); default `<hostname>-<pid>`. */
  workerId?: string;
  /** Jobs run at once (1 to 64); default 1. */
  concurrency?: number;
  /** How long each claim's lease lasts, in seconds; default 30. */
  leaseSeconds?: number;
  /** How often a running job's lease is extended; default a third of the lease. */
  heartbeatMs?: number;
  /** Backoff after a failed claim (and the pause between claims when claimWaitMs is 0); default 500. */
  pollIntervalMs?: number;
  /** How long one claim waits on the jobs service for a job (a long poll: the job arrives the moment it is ready); 0: answer at once; default 20000. */
  claimWaitMs?: number;
  /** Deadline of each call to the jobs service; default 5000. */
  callTimeoutMs?: number;
  /** Claim only jobs in these queues; default: any queue. */
  queues?: string[];
  /**
   * Outcomes reported in one CompleteJobs call at most (1 to 500; 1: one CompleteJob or FailJob per job);
   * default 100. A job's slot frees once its outcome is reported.
   */
  ackBatchSize?: number;
  /**
   * How long the first finished job waits for others before its batch goes, unless ackBatchSize are ready
   * first (0 to 60000). Default 0: at once, with whatever finished meanwhile; while a batch is in flight the
   * next one gathers. stop() sends what is waiting at once.
   */
  ackLingerMs?: number;
  /** Mutual TLS material (loadGrpcTls from @platform/kit); undefined or null: plaintext. */
  tls?: GrpcTls | null;
  /** Default: a JSON logger named "worker" at level info. */
  logger?: Logger;
  /** Metrics and traces around each job and call (observability.ts); none by default. */
  hooks?: WorkerHooks;
}

export interface WorkerHooks {
  /** Wraps each job, from claim to outcome. */
  job(job: Job__Output, run: () => Promise<void>): Promise<void>;
  /** Wraps each call to the jobs service. */
  call<T>(method: string, request: object, send: () => Promise<T>): Promise<T>;
}

/** What a handler learns about the job it runs. */
export interface JobInfo {
  id: string;
  name: string;
  kind: string;
  /** This attempt's number, the first is 1. */
  attempts: number;
  maxAttempts: number;
}

export interface JobContext {
  job: JobInfo;
  /**
   * Aborted when the job is taken away (reason LeaseLost: cancelled, or its lease
   * expired or went to another claim) or the worker stops and the grace period is
   * over (reason WorkerStopped). Once it aborts, the handler's outcome is ignored.
   */
  signal: AbortSignal;
  /** The worker's logger with jobId, kind and attempt bound. */
  logger: Logger;
}

export type Handler<P, R> = (payload: P, ctx: JobContext) => R | Promise<R>;

/** Anything with a `parse` that returns the payload or throws: a zod schema, for one. */
export interface PayloadSchema<P> {
  parse(input: unknown): P;
}

/** ctx.signal's reason when the job is no longer this worker's: nothing is reported for it. */
export class LeaseLost extends Error {
  override name = "LeaseLost";
}

/** ctx.signal's reason when the worker stopped before the job finished: the job is released (failed as "worker stopped"). */
export class WorkerStopped extends Error {
  override name = "WorkerStopped";
  constructor() {
    super("worker stopped");
  }
}
