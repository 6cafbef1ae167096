// Drives pipelines forward. All state is in the database, so a restarted (or
// another) replica picks up where this one stopped. A pipeline is reconciled
// (follow its submitted jobs, submit the steps that became ready, fail or
// cancel what must stop, derive the statuses, save) the moment one of its
// running step jobs changes: after reconciling, the orchestrator watches each
// submitted, unfinished step job (WatchJob; up to MAX_WATCHES at once). A
// sweep every PIPELINES_POLL_MS reconciles every active pipeline anyway: it
// covers what no watch covers (over the cap, a broken watch, a restart) and
// reopens watches.
// Submissions carry an idempotency key per step, so a crash between
// submitting a job and saving its id never runs a step twice.
// Several replicas may run on one database: a pipeline is reconciled only by
// the replica holding its lease (taken, renewed while it works, released
// after; an expired lease is anyone's), and every save is a compare-and-set on
// the pipeline's version, so a stale view is never written back.
import { randomUUID } from "node:crypto";
import type { Logger } from "@platform/kit";
import { StepStatuses } from "@platform/proto/enums";
import { deriveStatus, isFinalStep, readySteps, type Pipeline, type Step } from "../domain/pipeline";
import type { CallOptions, JobsApi, JobView } from "../clients/jobsClient";
import type { PipelineRepository } from "../store/pipelineRepository";
import { stepPayload } from "./stepPayload";

/** A step's job's idempotency key; a retried pipeline (`retries` > 0) gets new ones. */
export const stepJobKey = (pipelineId: number, step: string, retries = 0) =>
  `pipeline-${pipelineId}-step-${step}${retries > 0 ? `-retry-${retries}` : ""}`;

/** How many step jobs are watched at once; beyond it the sweep alone moves those pipelines. */
export const MAX_WATCHES = 1_000;
/** A watch's deadline; a watch that ends before its job does is reopened by a reconcile. */
const WATCH_DEADLINE_MS = 10 * 60_000;
/** After a watch broke, how long before its pipeline is reconciled (and the watch reopened). */
const WATCH_REOPEN_DELAY_MS = 1_000;

/** How many times a reconciliation that lost a save to someone else re-reads and tries again. */
const MAX_STALE_RETRIES = 3;

/** The reconciliation's view was saved over by someone else: re-read. */
const STALE = Symbol("stale");
/** This replica no longer holds the lease: the new holder carries on. */
class LeaseLost extends Error {}

export interface LeaseSettings {
  /** How long a lease lasts unless renewed: how long a dead replica's pipelines wait for another. */
  leaseMs: number;
  /** This process's name in lease_owner; random per process. */
  replicaId?: string;
  /** How many step jobs are watched at once; default MAX_WATCHES. */
  maxWatches?: number;
}

interface Watch {
  pipelineId: number;
  /** The job's status as last seen; a message with another one triggers a reconcile. */
  status: string | undefined;
  stop: () => void;
}

export class Orchestrator {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Open watches of step jobs, by job id. */
  private readonly watches = new Map<number, Watch>();
  private readonly reopenTimers = new Set<ReturnType<typeof setTimeout>>();
  private ticking = false;
  /** One reconciliation at a time per pipeline in this process (the lease orders processes). */
  private readonly locks = new Map<number, Promise<unknown>>();
  readonly replicaId: string;
  private readonly leaseMs: number;
  private readonly maxWatches: number;

  constructor(
    private readonly repository: PipelineRepository,
    private readonly jobs: JobsApi,
    private readonly logger: Logger,
    private readonly pollIntervalMs: number,
    lease: LeaseSettings = { leaseMs: 15_000 },
  ) {
    this.replicaId = lease.replicaId ?? randomUUID();
    this.leaseMs = lease.leaseMs;
    this.maxWatches = lease.maxWatches ?? MAX_WATCHES;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.pollIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const timer of this.reopenTimers) clearTimeout(timer);
    this.reopenTimers.clear();
    for (const id of [...this.watches.keys()]) this.unwatch(id);
    await Promise.allSettled([...this.locks.values()]);
  }

  /** How many step jobs are being watched now. */
  get watchCount(): number {
    return this.watches.size;
  }

  /**
   * After a reconcile by this replica: watches each submitted, unfinished step
   * job of the pipeline (while started and under maxWatches), and stops
   * watching the pipeline's jobs that are final.
   */
  private follow(pipeline: Pipeline): void {
    for (const step of pipeline.steps) {
      if (step.jobId === null) continue;
      const watch = this.watches.get(step.jobId);
      if (isFinalStep(step.status)) {
        if (watch) this.unwatch(step.jobId);
        continue;
      }
      if (watch) {
        watch.status = step.status;
        continue;
      }
      if (!this.timer || this.watches.size >= this.maxWatches) continue;
      this.watch(pipeline.id, step.jobId, step.status);
    }
  }

  private watch(pipelineId: number, jobId: number, status: string): void {
    const watch: Watch = { pipelineId, status, stop: () => {} };
    this.watches.set(jobId, watch);
    const reconcile = () =>
      void this.reconcile(pipelineId).catch((error: unknown) =>
        this.logger.warn({ pipelineId, err: error }, "reconciling the pipeline failed; retrying later"),
      );
    watch.stop = this.jobs.watch(
      jobId,
      (job) => {
        if (job.status === watch.status) return;
        watch.status = job.status;
        reconcile();
      },
      (final) => {
        if (this.watches.get(jobId) === watch) this.watches.delete(jobId);
        if (final || !this.timer) return;
        // Broken or timed out: reconcile soon, which reopens it (not at once: the jobs service may be down).
        const timer = setTimeout(() => {
          this.reopenTimers.delete(timer);
          reconcile();
        }, WATCH_REOPEN_DELAY_MS);
        this.reopenTimers.add(timer);
      },
      { requestId: randomUUID(), deadline: new Date(Date.now() + WATCH_DEADLINE_MS) },
    );
  }

  private unwatch(jobId: number): void {
    const watch = this.watches.get(jobId);
    if (!watch) return;
    this.watches.delete(jobId);
    watch.stop();
  }

  /** Stops watching the pipeline's jobs: another replica holds it now, or it is gone. */
  private unwatchPipeline(pipelineId: number): void {
    for (const [jobId, watch] of this.watches) if (watch.pipelineId === pipelineId) this.unwatch(jobId);
  }

  /** Runs `fn` with the pipeline's lock in this process held. */
  private exclusive<T>(id: number, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return run;
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const id of await this.repository.activeIds()) {
        if (!this.timer) break;
        await this.reconcile(id).catch((error: unknown) =>
          this.logger.warn({ pipelineId: id, err: error }, "reconciling the pipeline failed; retrying later"),
        );
      }
    } catch (error) {
      this.logger.warn({ err: error }, "orchestrator tick failed");
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Brings the pipeline up to date with its jobs, if this replica can take its
   * lease; otherwise the holder does, and this returns the pipeline as stored.
   */
  /** `call`: the served call this reconcile is part of (its deadline and cancellation reach the jobs service); none in the background. */
  reconcile(id: number, call?: CallOptions): Promise<Pipeline | undefined> {
    return this.exclusive(id, async () => {
      const lease = { renewedAt: Date.now() };
      // Jobs this reconciliation submitted, kept across re-reads: a lost save must not forget one.
      const submitted = new Map<string, JobView>();
      if (!(await this.repository.claim(id, this.replicaId, lease.renewedAt, this.leaseMs))) {
        this.unwatchPipeline(id);
        return this.repository.get(id);
      }
      try {
        for (let attempt = 1; ; attempt++) {
          const result = await this.reconcileNow(id, lease, submitted, call);
          if (result === undefined) this.unwatchPipeline(id);
          else if (result !== STALE) this.follow(result);
          if (result !== STALE) return result;
          if (attempt >= MAX_STALE_RETRIES) {
            this.logger.info(
              { pipelineId: id },
              "the pipeline kept changing while reconciling; retrying on the next tick",
            );
            return this.repository.get(id);
          }
        }
      } catch (error) {
        if (!(error instanceof LeaseLost)) throw error;
        this.unwatchPipeline(id);
        this.logger.warn({ pipelineId: id }, "lost the pipeline's lease while reconciling; its new holder carries on");
        return this.repository.get(id);
      } finally {
        await this.repository
          .release(id, this.replicaId)
          .catch((error: unknown) =>
            this.logger.warn({ pipelineId: id, err: error }, "releasing the pipeline's lease failed; it expires"),
          );
      }
    });
  }

  /** Renews the lease once a third of it has gone by; throws LeaseLost if another replica has it now. */
  private async keepLease(id: number, lease: { renewedAt: number }): Promise<void> {
    const now = Date.now();
    if (now - lease.renewedAt < this.leaseMs / 3) return;
    if (!(await this.repository.claim(id, this.replicaId, now, this.leaseMs))) throw new LeaseLost();
    lease.renewedAt = now;
  }

  private async reconcileNow(
    id: number,
    lease: { renewedAt: number },
    submitted: Map<string, JobView>,
    call: CallOptions | undefined,
  ): Promise<Pipeline | undefined | typeof STALE> {
    const pipeline = await this.repository.get(id);
    if (!pipeline) return undefined;
    for (const step of pipeline.steps) {
      const job = submitted.get(step.name);
      if (job && step.jobId === null) step.jobId = job.id;
    }
    const options: CallOptions = call ?? { requestId: pipeline.requestId ?? randomUUID() };
    // What is stored: a save below moves it on, so the final save happens only when something is left to write.
    let before = JSON.stringify(pipeline);
    const statusBefore = pipeline.status;
    const log = this.logger.child({ pipelineId: id, requestId: options.requestId });

    for (const step of pipeline.steps) {
      if (step.jobId !== null && !isFinalStep(step.status)) follow(step, await this.jobs.get(step.jobId, options));
    }
    await this.keepLease(id, lease);
    pipeline.status = deriveStatus(pipeline);

    if (pipeline.status !== "FAILED" && pipeline.status !== "CANCELLED") {
      for (const step of readySteps(pipeline)) {
        await this.keepLease(id, lease);
        // Rendered now, from the parameters and the results of the steps it depends on.
        const payload = await stepPayload(pipeline, step, this.jobs, options);
        if ("error" in payload) {
          step.status = "FAILED";
          step.error = payload.error;
          log.warn({ step: step.name, error: payload.error }, "step payload could not be rendered");
          break;
        }
        const job = await this.jobs.create(
          {
            name: `${pipeline.name}: ${step.name}`.slice(0, 200),
            kind: step.kind,
            payload: payload.payload,
            idempotencyKey: stepJobKey(pipeline.id, step.name, pipeline.retries),
            owner: pipeline.owner,
          },
          options,
        );
        submitted.set(step.name, job);
        step.jobId = job.id;
        follow(step, job);
        log.info({ step: step.name, jobId: job.id }, "step submitted");
        // Saved at once: the job id is what lets a restart follow the step.
        pipeline.status = deriveStatus(pipeline);
        pipeline.updatedAt = new Date();
        if (!(await this.repository.save(pipeline))) return STALE;
        before = JSON.stringify(pipeline);
      }
      pipeline.status = deriveStatus(pipeline);
    }
    if (pipeline.status === "FAILED" || pipeline.status === "CANCELLED") {
      for (const step of pipeline.steps) {
        if (isFinalStep(step.status)) continue;
        if (step.jobId === null) step.status = "SKIPPED";
        else follow(step, await this.jobs.cancel(step.jobId, options));
      }
    }

    if (JSON.stringify(pipeline) !== before) {
      pipeline.updatedAt = new Date();
      await this.keepLease(id, lease);
      if (!(await this.repository.save(pipeline))) return STALE;
    }
    if (statusBefore !== pipeline.status) log.info({ status: pipeline.status }, "pipeline status changed");
    return pipeline;
  }
}

function follow(step: Step, job: JobView): void {
  // A step shows its job's status (every job status is a step status); one this version does not know changes nothing.
  if (job.status !== undefined && StepStatuses.is(job.status)) step.status = job.status;
  step.error = job.error || null;
}
