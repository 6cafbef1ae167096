// The pipelines use cases: create (and submit the first steps), read, list,
// cancel, watch, retry and re-run pipelines. Rules come from domain/, storage from store/, following
// the steps' jobs from the orchestrator; no wire types here.
import {
  checkOwner,
  FailedPreconditionError,
  NotFoundError,
  Violations,
  type CallContext,
  type PageRequest,
} from "@platform/kit";
import {
  checkCancellable,
  checkReplay,
  requestFingerprint,
  isFinalPipeline,
  isFinalStep,
  rerunRequest,
  retryPipeline,
  validateNewPipeline,
  type NewPipeline,
  type Pipeline,
  type PipelineStatus,
} from "../domain/pipeline";
import type { PipelineRepository } from "../store/pipelineRepository";
import type { Orchestrator } from "./orchestrator";
import type { PipelineChanges } from "./pipelineChanges";

export interface WatchSettings {
  /** Saves this process makes; without it, a watch sees changes only when it polls. */
  changes?: PipelineChanges;
  /** How often a watch re-reads the pipeline, to see changes other replicas made. */
  pollIntervalMs: number;
}

/** Cancelling races the orchestrator's saves; past this many lost races, the caller retries. */
const MAX_CANCEL_ATTEMPTS = 10;

/** An owner condition: empty (any owner) or a valid owner. */
function ownerCondition(owner: string): string {
  if (owner === "") return "";
  const problems = new Violations();
  checkOwner(problems, "owner", owner);
  problems.throwIfAny();
  return owner;
}

export class PipelineService {
  constructor(
    private readonly repository: PipelineRepository,
    private readonly orchestrator: Orchestrator,
    private readonly watching: WatchSettings = { pollIntervalMs: 1_000 },
  ) {}

  /** Another owner's pipeline is NOT_FOUND, worded like a missing one, so its id reveals nothing. */
  private async load(id: number, owner = ""): Promise<Pipeline> {
    const pipeline = await this.repository.get(id);
    if (!pipeline || (owner !== "" && pipeline.owner !== owner)) throw new NotFoundError(`pipeline ${id} not found`);
    return pipeline;
  }

  /**
   * Validates and stores the pipeline, then submits its first steps (the
   * orchestrator retries if that fails). `replayed` when its idempotency key
   * (per owner) was used before with the same request: nothing is created, the
   * first pipeline comes back; with another request, INVALID_ARGUMENT.
   */
  create(input: NewPipeline, ctx: CallContext): Promise<{ pipeline: Pipeline; replayed: boolean }> {
    return this.createValid(validateNewPipeline(input), ctx);
  }

  /**
   * A new pipeline with the name, steps and parameters of pipeline `id` (any
   * status; `owner`: empty for any owner), `parameters`' keys replacing the
   * copied ones, for `input.newOwner`; idempotent like create.
   */
  async rerun(
    id: number,
    ownerInput: string,
    input: { newOwner: string; parameters: string | null; idempotencyKey: string | null },
    ctx: CallContext,
  ): Promise<{ pipeline: Pipeline; replayed: boolean }> {
    const source = await this.load(id, ownerCondition(ownerInput));
    const created = await this.createValid(
      rerunRequest(source, input.parameters, input.newOwner, input.idempotencyKey),
      ctx,
    );
    if (!created.replayed) ctx.logger.info({ pipelineId: created.pipeline.id, rerunOf: id }, "pipeline re-run");
    return created;
  }

  private async createValid(valid: NewPipeline, ctx: CallContext): Promise<{ pipeline: Pipeline; replayed: boolean }> {
    const requestHash = requestFingerprint(valid);
    const stored = await this.repository.create(valid, requestHash, ctx.requestId, new Date());
    if (!stored.created) return { pipeline: checkReplay(stored.pipeline, requestHash), replayed: true };
    let pipeline = stored.pipeline;
    ctx.logger.info({ pipelineId: pipeline.id, steps: pipeline.steps.length }, "pipeline created");
    if (pipeline.steps.length > 0) {
      // Submit the first steps now; if the jobs service is unreachable, the orchestrator retries.
      try {
        pipeline = (await this.orchestrator.reconcile(pipeline.id, ctx)) ?? pipeline;
      } catch (error) {
        ctx.logger.warn(
          { pipelineId: pipeline.id, err: error },
          "submitting the first steps failed; the orchestrator will retry",
        );
      }
    }
    return { pipeline, replayed: false };
  }

  /** `owner`: empty for any owner. */
  get(id: number, owner: string): Promise<Pipeline> {
    return this.load(id, ownerCondition(owner));
  }

  /** One page more than asked for, for kit's toPage; `owner`: empty for any owner. */
  list(page: PageRequest, status: PipelineStatus | undefined, owner: string): Promise<Pipeline[]> {
    return this.repository.listAfter(page, status, ownerCondition(owner) || undefined);
  }

  /**
   * Sends the pipeline now and after every change, until it and its steps are final or `signal`
   * aborts. Steps follow their jobs through the orchestrator's reconciles (every
   * tick), whose saves wake the watch at once in this process; a poll catches
   * other replicas' saves. `owner`: empty for any owner; another owner's pipeline
   * is NOT_FOUND.
   */
  async watch(id: number, ownerInput: string, signal: AbortSignal, send: (pipeline: Pipeline) => void): Promise<void> {
    const owner = ownerCondition(ownerInput);
    let lastVersion = -1;
    let done = false;
    let wake: () => void = () => {};
    const unsubscribe = this.watching.changes?.on(id, () => wake());
    const poll = setInterval(() => wake(), this.watching.pollIntervalMs);
    const onAbort = () => wake();
    signal.addEventListener("abort", onAbort);
    try {
      while (!done && !signal.aborted) {
        const changed = new Promise<void>((resolve) => (wake = resolve));
        const pipeline = await this.load(id, owner);
        if (pipeline.version !== lastVersion) {
          lastVersion = pipeline.version;
          send(pipeline);
          // Final, and so are its steps (a cancel saves the pipeline's status before its jobs are cancelled).
          done = isFinalPipeline(pipeline.status) && pipeline.steps.every((step) => isFinalStep(step.status));
        }
        if (!done) await changed;
      }
    } finally {
      unsubscribe?.();
      clearInterval(poll);
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Restarts a FAILED or CANCELLED pipeline from where it stopped (domain
   * retryPipeline), then submits the steps that are ready (the orchestrator
   * retries if that fails).
   */
  async retry(id: number, ownerInput: string, ctx: CallContext): Promise<Pipeline> {
    const owner = ownerCondition(ownerInput);
    // A compare-and-set save, as cancel's: a concurrent save makes it read again.
    for (let attempt = 1; ; attempt++) {
      const pipeline = await this.load(id, owner);
      if (await this.repository.saveRetry(retryPipeline(pipeline, new Date()))) break;
      if (attempt >= MAX_CANCEL_ATTEMPTS)
        throw new FailedPreconditionError(`pipeline ${id} kept changing while being retried; try again`);
    }
    ctx.logger.info({ pipelineId: id }, "pipeline retried");
    try {
      return (await this.orchestrator.reconcile(id, ctx)) ?? (await this.load(id));
    } catch (error) {
      ctx.logger.warn(
        { pipelineId: id, err: error },
        "submitting the retried steps failed; the orchestrator will retry",
      );
      return this.load(id);
    }
  }

  /** Marks the pipeline cancelled, then cancels its jobs (the orchestrator retries if that fails). */
  async cancel(id: number, ownerInput: string, ctx: CallContext): Promise<Pipeline> {
    const owner = ownerCondition(ownerInput);
    // A compare-and-set save, not a lock: if a replica reconciling it saved first,
    // read again (it may have finished meanwhile); that replica's next save is refused.
    for (let attempt = 1; ; attempt++) {
      const pipeline = await this.load(id, owner);
      checkCancellable(pipeline);
      if (await this.repository.save({ ...pipeline, status: "CANCELLED", updatedAt: new Date() })) break;
      if (attempt >= MAX_CANCEL_ATTEMPTS)
        throw new FailedPreconditionError(`pipeline ${id} kept changing while being cancelled; try again`);
    }
    ctx.logger.info({ pipelineId: id }, "pipeline cancelled");
    try {
      await this.orchestrator.reconcile(id, ctx);
    } catch (error) {
      ctx.logger.warn(
        { pipelineId: id, err: error },
        "cancelling the pipeline's jobs failed; the orchestrator will retry",
      );
    }
    return this.load(id);
  }
}
