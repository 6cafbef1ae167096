// Drives pipelines forward. All state is in the database, so a restarted (or
// another) replica picks up where this one stopped. A pipeline is reconciled
// (follow its submitted jobs, submit the steps that became ready, fail or
// cancel what must stop, derive the statuses, save) the moment one of its
// running step jobs changes: the orchestrator watches each submitted,
// unfinished step job (StepWatches: WatchJob, opened as soon as the job is
// created; up to MAX_WATCHES at once), and a reconcile a change started takes
// the watched jobs' states from what their watches sent instead of asking the
// jobs service again. A change that arrives while a reconcile runs is followed
// by that reconcile (from what it has just saved, with no re-read), or else by
// one more queued behind it (never more than one). A sweep every PIPELINES_POLL_MS reconciles every
// active pipeline anyway, asking the jobs service for every unfinished step's
// job: it covers what no watch covers (over the cap, a broken watch, a
// restart) and reopens watches.
// Submissions carry an idempotency key per step, so a crash between
// submitting a job and saving its id never runs a step twice.
// Several replicas may run on one database: a pipeline is reconciled only by
// the replica holding its lease (taken, renewed while it works, released
// after, or handed to the next reconcile of the pipeline already waiting in
// this process; an expired lease is anyone's), and every save is a compare-
// and-set on the pipeline's version, so a stale view is never written back.
// A save writes only the step rows that changed.
import { randomUUID } from "node:crypto";
import type { Logger } from "@platform/kit";
import { StepStatuses } from "@platform/proto/enums";
import { deriveStatus, isFinalStep, readySteps, type Pipeline, type Step } from "../domain/pipeline";
import type { CallOptions, JobsApi, JobView } from "../clients/jobsClient";
import type { PipelineRepository } from "../store/pipelineRepository";
import { stepPayload } from "./stepPayload";
import { StepWatches } from "./stepWatches";

/** A step's job's idempotency key; a retried pipeline (`retries` > 0) gets new ones. */
export const stepJobKey = (pipelineId: number, step: string, retries = 0) =>
  `pipeline-${pipelineId}-step-${step}${retries > 0 ? `-retry-${retries}` : ""}`;

/** How many step jobs are watched at once; beyond it the sweep alone moves those pipelines. */
export const MAX_WATCHES = 1_000;

/** How many times a reconciliation that lost a save to someone else re-reads and tries again. */
const MAX_STALE_RETRIES = 3;
/** How many times one reconciliation follows watched jobs that changed while it ran; then the next one does. */
const MAX_PASSES = 3;

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

type Log = (fields: Record<string, unknown>, message: string) => void;

interface Lease {
  renewedAt: number;
}

/** What one reconciliation last read or saved: a save writes only what differs from it. */
interface Stored {
  json: string;
  steps: Step[];
}

const remember = (pipeline: Pipeline): Stored => ({
  json: JSON.stringify(pipeline),
  steps: structuredClone(pipeline.steps),
});

export class Orchestrator {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly watches: StepWatches;
  private ticking = false;
  /** One reconciliation at a time per pipeline in this process (the lease orders processes). */
  private readonly locks = new Map<number, Promise<unknown>>();
  /** Reconciliations waiting for a pipeline's lock, by pipeline. */
  private readonly waiting = new Map<number, number>();
  /** Leases this replica holds, by pipeline: taken by a reconciliation, handed to the next one waiting. */
  private readonly held = new Map<number, Lease>();
  /** Pipelines one of whose watched jobs changed since a reconciliation last followed their jobs. */
  private readonly changed = new Set<number>();
  /** Pipelines with a reconciliation for such a change waiting (not started). */
  private readonly queuedOnChange = new Set<number>();
  readonly replicaId: string;
  private readonly leaseMs: number;

  constructor(
    private readonly repository: PipelineRepository,
    private readonly jobs: JobsApi,
    private readonly logger: Logger,
    private readonly pollIntervalMs: number,
    lease: LeaseSettings = { leaseMs: 15_000 },
  ) {
    this.replicaId = lease.replicaId ?? randomUUID();
    this.leaseMs = lease.leaseMs;
    this.watches = new StepWatches(
      jobs,
      lease.maxWatches ?? MAX_WATCHES,
      (pipelineId) => this.reconcileOnChange(pipelineId),
      (pipelineId) => void this.reconcile(pipelineId).catch((error: unknown) => this.failed(pipelineId, error)),
    );
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.pollIntervalMs);
    this.watches.start();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watches.stop();
    await Promise.allSettled([...this.locks.values()]);
  }

  /** How many step jobs are being watched now. */
  get watchCount(): number {
    return this.watches.size;
  }

  private failed(pipelineId: number, error: unknown): void {
    this.logger.warn({ pipelineId, err: error }, "reconciling the pipeline failed; retrying later");
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

  /**
   * exclusive(), and after `fn` the lease it took (takeLease) is released,
   * unless another reconciliation of the pipeline is waiting: that one has it.
   */
  private serialized<T>(id: number, fn: () => Promise<T>): Promise<T> {
    this.waiting.set(id, (this.waiting.get(id) ?? 0) + 1);
    return this.exclusive(id, async () => {
      const left = this.waiting.get(id)! - 1;
      if (left > 0) this.waiting.set(id, left);
      else this.waiting.delete(id);
      try {
        return await fn();
      } finally {
        if (!this.waiting.has(id) && this.held.delete(id))
          await this.repository
            .release(id, this.replicaId)
            .catch((error: unknown) =>
              this.logger.warn({ pipelineId: id, err: error }, "releasing the pipeline's lease failed; it expires"),
            );
      }
    });
  }

  /** The lease this replica holds on the pipeline, renewed or taken now; undefined when another replica has it. */
  private async takeLease(id: number): Promise<Lease | undefined> {
    const now = Date.now();
    const held = this.held.get(id);
    if (held && now - held.renewedAt < this.leaseMs / 3) return held;
    this.held.delete(id);
    if (!(await this.repository.claim(id, this.replicaId, now, this.leaseMs))) return undefined;
    const lease = { renewedAt: now };
    this.held.set(id, lease);
    return lease;
  }

  /** Renews the lease once a third of it has gone by; throws LeaseLost if another replica has it now. */
  private async keepLease(id: number, lease: Lease): Promise<void> {
    const now = Date.now();
    if (now - lease.renewedAt < this.leaseMs / 3) return;
    if (!(await this.repository.claim(id, this.replicaId, now, this.leaseMs))) throw new LeaseLost();
    lease.renewedAt = now;
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const id of await this.repository.activeIds()) {
        if (!this.timer) break;
        await this.reconcile(id).catch((error: unknown) => this.failed(id, error));
      }
    } catch (error) {
      this.logger.warn({ err: error }, "orchestrator tick failed");
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Brings the pipeline up to date with its jobs (each unfinished step's job
   * asked for), if this replica can take its lease; otherwise the holder does,
   * and this returns the pipeline as stored. `call`: the served call this
   * reconcile is part of (its deadline and cancellation reach the jobs
   * service); none in the background.
   */
  reconcile(id: number, call?: CallOptions): Promise<Pipeline | undefined> {
    return this.serialized(id, () => this.reconcileLeased(id, call, false));
  }

  /**
   * A watched job of the pipeline changed: reconciles it from what the watches
   * sent. One such reconciliation waits at a time, and it does nothing when
   * the one before it already followed the change.
   */
  private reconcileOnChange(id: number): void {
    this.changed.add(id);
    if (this.queuedOnChange.has(id)) return;
    this.queuedOnChange.add(id);
    this.serialized(id, async () => {
      this.queuedOnChange.delete(id);
      if (this.changed.has(id)) await this.reconcileLeased(id, undefined, true);
    }).catch((error: unknown) => this.failed(id, error));
  }

  /** `watched`: a watched job's state is what its watch sent (none yet: asked for). */
  private async reconcileLeased(
    id: number,
    call: CallOptions | undefined,
    watched: boolean,
  ): Promise<Pipeline | undefined> {
    // Read while the lease is taken: a read from before another replica's save is refused at the save (compare-and-set).
    const [lease, first] = await Promise.all([this.takeLease(id), this.repository.get(id)]);
    if (!lease) {
      this.changed.delete(id);
      this.watches.unwatchPipeline(id);
      return first;
    }
    // Jobs this reconciliation submitted, kept across re-reads: a lost save must not forget one.
    const submitted = new Map<string, JobView>();
    try {
      for (let attempt = 1; ; attempt++) {
        const read = attempt === 1 ? first : await this.repository.get(id);
        const result = await this.reconcileNow(read, lease, submitted, call, watched);
        if (result === undefined) this.watches.unwatchPipeline(id);
        else if (result !== STALE) for (const step of result.steps) this.watches.follow(id, step);
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
      this.held.delete(id);
      this.changed.delete(id);
      this.watches.unwatchPipeline(id);
      this.logger.warn({ pipelineId: id }, "lost the pipeline's lease while reconciling; its new holder carries on");
      return this.repository.get(id);
    }
  }

  /** From `pipeline` as read. */
  private async reconcileNow(
    pipeline: Pipeline | undefined,
    lease: Lease,
    submitted: Map<string, JobView>,
    call: CallOptions | undefined,
    watched: boolean,
  ): Promise<Pipeline | undefined | typeof STALE> {
    if (!pipeline) return undefined;
    const { id } = pipeline;
    for (const step of pipeline.steps) {
      const job = submitted.get(step.name);
      if (job && step.jobId === null) step.jobId = job.id;
    }
    const options: CallOptions = call ?? { requestId: pipeline.requestId ?? randomUUID() };
    // What is stored: a save below moves it on, so the final save happens only when something is left to write.
    const stored = { current: remember(pipeline) };
    const statusBefore = pipeline.status;
    // No child logger per reconcile: making one took about 2 % of the service's CPU in a profile, even with info off.
    const log: Log = (fields, message) =>
      this.logger.info({ pipelineId: id, requestId: options.requestId, ...fields }, message);

    for (let pass = 1; ; pass++) {
      this.changed.delete(id);
      for (const step of pipeline.steps) {
        if (step.jobId === null || isFinalStep(step.status)) continue;
        // Later passes follow only what the watches sent meanwhile.
        const seen = watched || pass > 1 ? this.watches.seen(step.jobId) : undefined;
        if (seen) follow(step, seen);
        else if (pass === 1) follow(step, await this.jobs.get(step.jobId, options));
      }
      if (!(await this.advance(pipeline, lease, submitted, stored, options, log))) return STALE;
      if (JSON.stringify(pipeline) !== stored.current.json) {
        pipeline.updatedAt = new Date();
        await this.keepLease(id, lease);
        if (!(await this.repository.save(pipeline, stored.current.steps))) return STALE;
        stored.current = remember(pipeline);
      }
      // A watched job changed while this ran: follow it now (what is in memory is what is stored)
      // rather than in one more reconciliation.
      if (!this.changed.has(id) || pass >= MAX_PASSES) break;
    }
    if (statusBefore !== pipeline.status) log({ status: pipeline.status }, "pipeline status changed");
    return pipeline;
  }

  /** From the steps' states: cancels or skips what must stop, or submits the steps that are ready; false when a save lost. */
  private async advance(
    pipeline: Pipeline,
    lease: Lease,
    submitted: Map<string, JobView>,
    stored: { current: Stored },
    options: CallOptions,
    log: Log,
  ): Promise<boolean> {
    await this.keepLease(pipeline.id, lease);
    pipeline.status = deriveStatus(pipeline);

    if (pipeline.status !== "FAILED" && pipeline.status !== "CANCELLED") {
      for (const step of readySteps(pipeline)) {
        await this.keepLease(pipeline.id, lease);
        // Rendered now, from the parameters and the results of the steps it depends on.
        const payload = await stepPayload(pipeline, step, this.jobs, options);
        if ("error" in payload) {
          step.status = "FAILED";
          step.error = payload.error;
          log({ step: step.name, error: payload.error }, "step payload could not be rendered");
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
        // Watched from now on: a quick job's changes arrive while this reconciliation still saves.
        this.watches.follow(pipeline.id, step);
        log({ step: step.name, jobId: job.id }, "step submitted");
        // Saved at once: the job id is what lets a restart follow the step.
        pipeline.status = deriveStatus(pipeline);
        pipeline.updatedAt = new Date();
        if (!(await this.repository.save(pipeline, stored.current.steps))) return false;
        stored.current = remember(pipeline);
      }
      pipeline.status = deriveStatus(pipeline);
    }
    // A failed step (its job, or a payload that could not be rendered) stops the rest.
    if (pipeline.status === "FAILED" || pipeline.status === "CANCELLED") {
      for (const step of pipeline.steps) {
        if (isFinalStep(step.status)) continue;
        if (step.jobId === null) step.status = "SKIPPED";
        else follow(step, await this.jobs.cancel(step.jobId, options));
      }
    }
    return true;
  }
}

function follow(step: Step, job: JobView): void {
  // A step shows its job's status (every job status is a step status); one this version does not know changes nothing.
  if (job.status !== undefined && StepStatuses.is(job.status)) step.status = job.status;
  step.error = job.error || null;
}
