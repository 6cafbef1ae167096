// The reference worker: claims jobs of the kinds it knows, keeps their lease
// alive with heartbeats while they run, and reports the outcome. It talks to
// the jobs service over gRPC, as the internal component it is (the gateway's
// HTTP worker routes are for workers outside the cluster).
import * as grpc from "@grpc/grpc-js";
import { announce, drainWithin, ServiceClient, type GrpcTls, type Logger, type RequestOf } from "@platform/kit";
import { jobs, SERVICE_NAMES, type Job__Output } from "@platform/proto";
import { randomUUID } from "node:crypto";
import type { KindHandler } from "./kinds";

export interface WorkerOptions {
  jobsServiceUrl: string;
  workerId: string;
  kinds: Record<string, KindHandler>;
  /** Jobs run at once. */
  concurrency: number;
  leaseSeconds: number;
  /** Backoff after a failed claim. */
  pollIntervalMs: number;
  /** How long one claim waits on the jobs service for a job (a long poll); 0: none. */
  claimWaitMs?: number;
  callTimeoutMs: number;
  /** Mutual TLS material (loadGrpcTls); undefined or null: plaintext. */
  tls?: GrpcTls | null;
  /** Metrics and traces around each job and call (observability.ts); none by default. */
  hooks?: WorkerHooks;
}

export interface WorkerHooks {
  /** Wraps each job, from claim to outcome. */
  job(job: Job__Output, run: () => Promise<void>): Promise<void>;
  /** Wraps each call to the jobs service. */
  call<T>(method: string, request: object, send: () => Promise<T>): Promise<T>;
}

const NO_HOOKS: WorkerHooks = { job: (_, run) => run(), call: (_, __, send) => send() };

type JobsService = typeof jobs.JobsService.service;

export class Worker {
  private readonly client: ServiceClient<typeof jobs.JobsService.service>;
  private stopping = false;
  private wakeUp: () => void = () => {};
  /** Cancels the claims waiting on the jobs service when the worker stops. */
  private readonly stopClaims = new AbortController();
  private readonly loops: Promise<void>[] = [];
  /** The jobs running now, with the means to abort them. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
  ) {
    this.client = new ServiceClient(SERVICE_NAMES.jobs, options.jobsServiceUrl, jobs.JobsService.service, {
      timeoutMs: options.callTimeoutMs,
      tls: options.tls,
    });
  }

  /** One call to the jobs service, with a fresh request id (the worker serves no request of its own). */
  private rpc<K extends "ClaimJob" | "Heartbeat" | "CompleteJob" | "FailJob">(
    method: K,
    request: RequestOf<JobsService[K]>,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ) {
    return (this.options.hooks ?? NO_HOOKS).call(method, request, () =>
      this.client.call(method, request, { requestId: randomUUID() }, options),
    );
  }

  /** How many jobs run right now. */
  get runningJobs(): number {
    return this.running.size;
  }

  start(): void {
    for (let slot = 0; slot < this.options.concurrency; slot++) this.loops.push(this.loop());
    announce(
      this.logger,
      {
        workerId: this.options.workerId,
        kinds: Object.keys(this.options.kinds),
        concurrency: this.options.concurrency,
      },
      "worker started",
    );
  }

  /**
   * Stops claiming and lets running jobs finish for up to `graceMs`; jobs still
   * running then are aborted and released (failed as "worker stopped", so the
   * jobs service re-queues them while attempts remain).
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    this.stopClaims.abort();
    const finished = Promise.all(this.loops);
    await drainWithin(
      graceMs,
      () => finished,
      () => {
        this.logger.warn({ jobs: [...this.running.keys()] }, "grace period over: releasing running jobs");
        for (const controller of this.running.values()) controller.abort(new Error("worker stopped"));
        return finished;
      },
    );
    this.client.close();
    this.logger.info("worker stopped");
  }

  private async loop(): Promise<void> {
    const waitMs = this.options.claimWaitMs ?? 0;
    while (!this.stopping) {
      let lease: { job: Job__Output; token: string } | null = null;
      let failed = false;
      try {
        // A long poll: the jobs service answers the moment a job is ready (or empty after waitMs).
        const claimed = await this.rpc(
          "ClaimJob",
          {
            worker_id: this.options.workerId,
            lease_seconds: this.options.leaseSeconds,
            kinds: Object.keys(this.options.kinds),
            wait_ms: waitMs,
          },
          { timeoutMs: this.options.callTimeoutMs + waitMs, signal: this.stopClaims.signal },
        );
        if (claimed.job) lease = { job: claimed.job, token: claimed.lease_token };
      } catch (error) {
        failed = !this.stopping;
        if (failed) this.logger.warn({ err: (error as Error).message }, "claim failed; retrying");
      }
      const claimed = lease;
      if (claimed) await (this.options.hooks ?? NO_HOOKS).job(claimed.job, () => this.run(claimed.job, claimed.token));
      // An empty answer was a wait already (or, without waitMs, the poll interval is it); a failure backs off.
      else if (failed || waitMs === 0)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollIntervalMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  }

  /** Runs one leased job; `leaseToken` (the claim's secret) goes with every call about it. */
  private async run(job: Job__Output, leaseToken: string): Promise<void> {
    const log = this.logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    const controller = new AbortController();
    this.running.set(job.id, controller);
    let lost = false;
    // Heartbeats at a third of the lease: two can fail before the lease runs out.
    const heartbeat = setInterval(
      () => {
        this.rpc("Heartbeat", {
          job_id: job.id,
          lease_token: leaseToken,
          lease_seconds: this.options.leaseSeconds,
        }).catch((error: grpc.ServiceError) => {
          if (
            ![grpc.status.FAILED_PRECONDITION, grpc.status.PERMISSION_DENIED, grpc.status.NOT_FOUND].includes(
              error.code,
            )
          )
            return log.warn({ err: error.message }, "heartbeat failed");
          // Cancelled, or the lease ended or went to someone else: stop working on it, report nothing.
          lost = true;
          log.info({ reason: error.details }, "job taken away; aborting it");
          controller.abort(new Error(error.details));
        });
      },
      (this.options.leaseSeconds * 1000) / 3,
    );
    log.info("job started");
    try {
      const handler = this.options.kinds[job.kind];
      if (!handler) throw new Error(`unknown kind ${job.kind}`);
      const payload: unknown = job.payload === "" ? null : JSON.parse(job.payload);
      const result = await handler(payload, controller.signal);
      if (!lost) {
        await this.rpc("CompleteJob", {
          job_id: job.id,
          lease_token: leaseToken,
          result: JSON.stringify(result ?? null),
        });
        log.info("job succeeded");
      }
    } catch (error) {
      const reason =
        controller.signal.aborted && controller.signal.reason instanceof Error
          ? controller.signal.reason.message
          : error instanceof Error
            ? error.message
            : String(error);
      if (!lost) {
        await this.rpc("FailJob", { job_id: job.id, lease_token: leaseToken, error: reason }).catch((e: Error) =>
          log.warn({ err: e.message }, "reporting the failure failed"),
        );
        log.info({ reason }, "job failed");
      }
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }
}
