// The worker SDK: register a handler per job kind, start, stop. The worker
// claims only the kinds it has handlers for, keeps each job's lease alive with
// heartbeats while its handler runs, and reports the handler's return value
// (CompleteJob) or throw (FailJob). It talks to the jobs service over gRPC, as
// the internal component it is (the gateway's HTTP worker routes are for
// workers outside the cluster). `bun run worker` (main.ts) is one user of it.
import * as grpc from "@grpc/grpc-js";
import { ServiceClient, type RequestOf } from "@platform/kit/client";
import { drainWithin } from "@platform/kit/lifecycle";
import { announce, createLogger, type Logger } from "@platform/kit/logger";
import { jobs, SERVICE_NAMES, type ClaimedJob__Output, type Job__Output } from "@platform/proto/jobs";
import {
  KIND_MESSAGE,
  KIND_PATTERN,
  CLAIM_WAIT_MS_MAX,
  LEASE_SECONDS_MAX,
  LEASE_SECONDS_MIN,
  MAX_CLAIM_JOBS,
  MAX_CLAIM_KINDS,
  MAX_CLAIM_QUEUES,
  MAX_COMPLETE_JOBS,
  NAME_MAX_LENGTH,
  QUEUE_MESSAGE,
  QUEUE_PATTERN,
} from "@platform/proto/rules";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";

import {
  LeaseLost,
  WorkerStopped,
  type Handler,
  type JobContext,
  type JobInfo,
  type PayloadSchema,
  type WorkerHooks,
  type WorkerOptions,
} from "./api";
import { AckBatcher, reportAcks, type Ack, type Outcome, type ThenClaim } from "./acks";
import { messageOf, parsePayload } from "./payload";

export {
  LeaseLost,
  WorkerStopped,
  type Handler,
  type JobContext,
  type JobInfo,
  type PayloadSchema,
  type WorkerHooks,
  type WorkerOptions,
};

const optionsSchema = z.object({
  jobsServiceUrl: z.string().min(1),
  workerId: z.string().trim().min(1).max(NAME_MAX_LENGTH).optional(),
  concurrency: z.number().int().min(1).max(64).default(1),
  leaseSeconds: z.number().int().min(LEASE_SECONDS_MIN).max(LEASE_SECONDS_MAX).default(30),
  heartbeatMs: z.number().int().positive().optional(),
  pollIntervalMs: z.number().int().positive().default(500),
  claimWaitMs: z.number().int().min(0).max(CLAIM_WAIT_MS_MAX).default(20_000),
  callTimeoutMs: z.number().int().positive().default(5_000),
  queues: z
    .array(z.string().regex(new RegExp(QUEUE_PATTERN), QUEUE_MESSAGE))
    .max(MAX_CLAIM_QUEUES)
    .default([]),
  ackBatchSize: z.number().int().min(1).max(MAX_COMPLETE_JOBS).default(100),
  ackLingerMs: z.number().int().min(0).max(60_000).default(0),
});

const NO_HOOKS: WorkerHooks = { job: (_, run) => run(), call: (_, __, send) => send() };
/** Heartbeat refusals that mean the job is not ours any more: stale lease or cancelled (409), wrong token (403), gone. */
const TAKEN_AWAY = [grpc.status.FAILED_PRECONDITION, grpc.status.PERMISSION_DENIED, grpc.status.NOT_FOUND];
const KIND = new RegExp(KIND_PATTERN);

type JobsService = typeof jobs.JobsService.service;
type Lease = { job: Job__Output; token: string };
/** The leases in a claim's answer (ClaimJob's `claimed`, or CompleteJobs'). */
const leasesOf = (claimed: readonly ClaimedJob__Output[]): Lease[] =>
  claimed.flatMap(({ job, lease_token }) => (job ? [{ job, token: lease_token }] : []));

interface Registered {
  handler: Handler<unknown, unknown>;
  schema?: PayloadSchema<unknown>;
}

/** A worker with the given options and no handlers yet: add them with `handle`, then `start()`. */
export function createWorker(options: WorkerOptions): Worker {
  return new Worker(options);
}

export class Worker {
  readonly workerId: string;
  private readonly settings: z.output<typeof optionsSchema>;
  private readonly heartbeatMs: number;
  private readonly logger: Logger;
  private readonly hooks: WorkerHooks;
  private readonly client: ServiceClient<JobsService>;
  private readonly handlers = new Map<string, Registered>();
  private started = false;
  private stopping = false;
  private readonly wakeUps = new Set<() => void>();
  /** Cancels the claims waiting on the jobs service when the worker stops. */
  private readonly stopClaims = new AbortController();
  /** The claim loop (it settles once stopped and every job it started has ended). */
  private dispatcher: Promise<void> = Promise.resolve();
  /** The jobs handed to slots and not yet ended. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Ends the dispatcher's wait for a free slot (a job ended, or the worker stops). */
  private slotFreed: (() => void) | undefined;
  /** The jobs running now, with the means to abort them. */
  private readonly running = new Map<string, AbortController>();
  /** Finished jobs' outcomes, reported in batches (CompleteJobs). */
  private readonly acks: AckBatcher<Ack>;

  constructor(options: WorkerOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success)
      throw new TypeError(
        `invalid worker options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    this.settings = parsed.data;
    this.workerId = parsed.data.workerId ?? `${hostname()}-${process.pid}`;
    this.heartbeatMs = parsed.data.heartbeatMs ?? (parsed.data.leaseSeconds * 1000) / 3;
    this.logger = options.logger ?? createLogger("worker", "info");
    this.hooks = options.hooks ?? NO_HOOKS;
    this.client = new ServiceClient(SERVICE_NAMES.jobs, parsed.data.jobsServiceUrl, jobs.JobsService.service, {
      timeoutMs: parsed.data.callTimeoutMs,
      tls: options.tls,
      logger: this.logger,
    });
    this.acks = new AckBatcher(
      (acks) =>
        reportAcks(
          acks,
          (method, request) => this.rpc(method, request as never),
          this.logger,
          this.thenClaim(acks.length),
        ),
      parsed.data.ackBatchSize,
      parsed.data.ackLingerMs,
    );
  }

  /**
   * Runs jobs of `kind` with `handler`: its payload is the job's JSON payload
   * parsed (null when it has none), checked by `schema` when one is given; its
   * return value, as JSON, is the job's result; a throw fails the attempt with
   * the error's message (the jobs service retries it while attempts remain).
   * Register every kind before `start()`.
   */
  handle<P = unknown, R = unknown>(kind: string, handler: Handler<P, R>): this;
  handle<P, R = unknown>(kind: string, schema: PayloadSchema<P>, handler: Handler<P, R>): this;
  handle<P, R>(kind: string, ...args: [Handler<P, R>] | [PayloadSchema<P>, Handler<P, R>]): this {
    if (this.started) throw new Error(`handle("${kind}"): register handlers before start()`);
    if (!KIND.test(kind)) throw new TypeError(`handle("${kind}"): a kind ${KIND_MESSAGE}`);
    if (this.handlers.has(kind)) throw new Error(`handle("${kind}"): the kind already has a handler`);
    if (this.handlers.size >= MAX_CLAIM_KINDS) throw new Error(`a worker handles at most ${MAX_CLAIM_KINDS} kinds`);
    const [schema, handler] = args.length === 1 ? [undefined, args[0]] : args;
    if (typeof handler !== "function") throw new TypeError(`handle("${kind}"): the handler must be a function`);
    this.handlers.set(kind, { handler, schema } as Registered);
    return this;
  }

  /** The kinds this worker claims: exactly those it has handlers for. */
  get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** How many jobs run right now. */
  get runningJobs(): number {
    return this.running.size;
  }

  /** Starts claiming: `concurrency` jobs at once, of the registered kinds only. */
  start(): this {
    if (this.started) throw new Error("the worker is already started");
    // No kinds would mean "any kind" to ClaimJob: a worker without handlers claims nothing, so it cannot start.
    if (this.handlers.size === 0) throw new Error("register at least one handler (worker.handle) before start()");
    this.started = true;
    this.dispatcher = this.dispatch();
    announce(
      this.logger,
      {
        workerId: this.workerId,
        kinds: this.kinds,
        queues: this.settings.queues,
        concurrency: this.settings.concurrency,
      },
      "worker started",
    );
    return this;
  }

  /**
   * Stops claiming and lets running jobs finish for up to `graceMs`; jobs still
   * running then are aborted (ctx.signal, reason WorkerStopped) and released
   * (failed as "worker stopped", so the jobs service re-queues them while
   * attempts remain), whether or not their handlers heed the signal.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const wakeUp of this.wakeUps) wakeUp();
    this.slotFreed?.();
    this.stopClaims.abort();
    // Outcomes waiting for a batch go now, and every later one at once.
    void this.acks.close();
    const finished = this.dispatcher.then(() => this.acks.close());
    await drainWithin(
      graceMs,
      () => finished,
      () => {
        this.logger.warn({ jobs: [...this.running.keys()] }, "grace period over: releasing running jobs");
        for (const controller of this.running.values()) controller.abort(new WorkerStopped());
        return finished;
      },
    );
    this.client.close();
    this.logger.info("worker stopped");
  }

  /** One call to the jobs service, with a fresh request id (the worker serves no request of its own). */
  private rpc<K extends "ClaimJob" | "Heartbeat" | "CompleteJob" | "FailJob" | "CompleteJobs">(
    method: K,
    request: RequestOf<JobsService[K]>,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ) {
    return this.hooks.call(method, request, () =>
      this.client.call(method, request, { requestId: randomUUID() }, options),
    );
  }

  /**
   * Asks the jobs service for up to `maxJobs` jobs of the registered kinds in one call, waiting up
   * to claimWaitMs for at least one (a long poll): the jobs and their lease tokens (empty when the
   * wait ran out), or "failed" when the call did.
   */
  private async claim(maxJobs: number): Promise<Lease[] | "failed"> {
    const waitMs = this.settings.claimWaitMs;
    try {
      const response = await this.rpc("ClaimJob", this.claimRequest(maxJobs, waitMs), {
        timeoutMs: this.settings.callTimeoutMs + waitMs,
        signal: this.stopClaims.signal,
      });
      // A service without batches answers only job and lease_token.
      if (response.claimed.length > 0) return leasesOf(response.claimed);
      return response.job ? [{ job: response.job, token: response.lease_token }] : [];
    } catch (error) {
      if (this.stopping) return [];
      this.logger.warn({ err: (error as Error).message }, "claim failed; retrying");
      return "failed";
    }
  }

  /**
   * While every slot is busy (the dispatcher waits for one to free), the slots that `freed` acks are
   * about to free are filled in the same call that reports them (CompleteJobs' then_claim): a busy
   * worker makes one round trip per batch of jobs instead of two. The jobs start before the finished
   * ones leave their slots, so the dispatcher finds no slot free and goes on waiting; whatever then_claim
   * did not fill, the dispatcher's own claim does. Never while stopping, nor with ackBatchSize 1 (every ack
   * alone as CompleteJob or FailJob, as before batching).
   */
  private thenClaim(freed: number): ThenClaim | undefined {
    if (this.stopping || !this.slotFreed || this.settings.ackBatchSize === 1) return undefined;
    return {
      request: this.claimRequest(Math.min(freed, MAX_CLAIM_JOBS), 0),
      onClaimed: (claimed) => {
        for (const lease of leasesOf(claimed)) this.startJob(lease);
      },
    };
  }

  /** A claim of up to `maxJobs` jobs of this worker's kinds and queues (ClaimJob, or CompleteJobs' then_claim). */
  private claimRequest(maxJobs: number, waitMs: number): RequestOf<JobsService["ClaimJob"]> {
    return {
      worker_id: this.workerId,
      lease_seconds: this.settings.leaseSeconds,
      kinds: this.kinds,
      queues: this.settings.queues,
      max_jobs: maxJobs,
      wait_ms: waitMs,
    };
  }

  /**
   * One claim loop feeding `concurrency` slots: each claim asks for as many jobs as there are idle
   * slots (so a busy worker makes one round trip for several jobs), and when every slot is busy it
   * waits for one to free. Once stopped, it waits for the jobs it started.
   */
  private async dispatch(): Promise<void> {
    while (!this.stopping) {
      const idle = this.settings.concurrency - this.inFlight.size;
      if (idle <= 0) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = undefined;
        continue;
      }
      const leases = await this.claim(Math.min(idle, MAX_CLAIM_JOBS));
      if (leases !== "failed") for (const lease of leases) this.startJob(lease);
      // An empty answer was a wait already; a failure (or claims that do not wait) backs off.
      if (leases === "failed" || (leases.length === 0 && this.settings.claimWaitMs === 0))
        await new Promise<void>((resolve) => {
          const wakeUp = () => {
            clearTimeout(timer);
            this.wakeUps.delete(wakeUp);
            resolve();
          };
          const timer = setTimeout(wakeUp, this.settings.pollIntervalMs);
          this.wakeUps.add(wakeUp);
        });
    }
    await Promise.all(this.inFlight);
  }

  /** Runs a leased job in a slot; the slot frees (waking the dispatcher) when it ends. */
  private startJob(lease: Lease): void {
    const job: Promise<void> = Promise.resolve()
      .then(() => this.hooks.job(lease.job, () => this.run(lease.job, lease.token)))
      .catch((error: unknown) => this.logger.warn({ err: messageOf(error), jobId: lease.job.id }, "job hook failed"))
      .finally(() => {
        this.inFlight.delete(job);
        this.slotFreed?.();
      });
    this.inFlight.add(job);
  }

  /** Runs one leased job; `leaseToken` (the claim's secret) goes with every call about it. */
  private async run(job: Job__Output, leaseToken: string): Promise<void> {
    const log = this.logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const heartbeat = setInterval(() => void this.heartbeat(job, leaseToken, controller, log), this.heartbeatMs);
    log.info("job started");
    try {
      const outcome = await this.outcome(job, controller.signal, log);
      clearInterval(heartbeat);
      if (controller.signal.reason instanceof LeaseLost) return;
      // The slot frees once the outcome is reported (in a batch with other jobs' outcomes).
      await this.acks.add({ job, leaseToken, outcome, log });
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }

  /** The handler's result as JSON, or why the attempt failed; decided the moment ctx.signal aborts, if it does. */
  private async outcome(job: Job__Output, signal: AbortSignal, logger: Logger): Promise<Outcome> {
    const aborted = new Promise<never>((_, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
    );
    aborted.catch(() => {}); // settled below, or never looked at when the handler did not start
    try {
      const registered = this.handlers.get(job.kind);
      if (!registered) throw new Error(`this worker has no handler for kind ${job.kind}`);
      const payload = parsePayload(job.payload, registered.schema);
      const ctx: JobContext = {
        job: { id: job.id, name: job.job_name, kind: job.kind, attempts: job.attempts, maxAttempts: job.max_attempts },
        signal,
        logger,
      };
      const result = await Promise.race([Promise.resolve().then(() => registered.handler(payload, ctx)), aborted]);
      try {
        return { ok: true, result: JSON.stringify(result ?? null) };
      } catch (error) {
        throw new Error(`the result is not JSON: ${messageOf(error)}`);
      }
    } catch (error) {
      return { ok: false, error: messageOf(signal.aborted ? signal.reason : error) };
    }
  }

  private async heartbeat(job: Job__Output, leaseToken: string, controller: AbortController, log: Logger) {
    try {
      await this.rpc("Heartbeat", {
        job_id: job.id,
        lease_token: leaseToken,
        lease_seconds: this.settings.leaseSeconds,
      });
    } catch (error) {
      const { code, details, message } = error as grpc.ServiceError;
      if (!TAKEN_AWAY.includes(code)) return log.warn({ err: message }, "heartbeat failed");
      if (controller.signal.aborted) return;
      // Cancelled, or the lease ended or went to someone else: stop working on it, report nothing.
      log.info({ reason: details }, "job taken away; aborting it");
      controller.abort(new LeaseLost(details || message));
    }
  }
}
