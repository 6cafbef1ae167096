// Drives pipelines forward. All state is in the database, so a restarted (or
// another) replica picks up where this one stopped: every tick, each active
// pipeline is reconciled: follow its submitted jobs, submit the steps that
// became ready, fail or cancel what must stop, derive the statuses, save.
// Submissions carry an idempotency key per step, so a crash between
// submitting a job and saving its id never runs a step twice.
import { randomUUID } from "node:crypto";
import type { Logger } from "@platform/kit";
import { deriveStatus, isFinalStep, readySteps, type Pipeline, type Step, type StepStatus } from "./domain/pipeline";
import type { CallOptions, JobsApi, JobView } from "./jobsClient";
import type { PipelineRepository } from "./store/pipelineRepository";

const STEP_STATUS_OF_JOB: Record<string, StepStatus> = { PENDING: "PENDING", RUNNING: "RUNNING", SUCCEEDED: "SUCCEEDED", FAILED: "FAILED", CANCELLED: "CANCELLED" };

export const stepJobKey = (pipelineId: number, step: string) => `pipeline-${pipelineId}-step-${step}`;

export class Orchestrator {
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;
  /** One reconciliation at a time per pipeline in this process. */
  private readonly locks = new Map<number, Promise<unknown>>();

  constructor(
    private readonly repository: PipelineRepository,
    private readonly jobs: JobsApi,
    private readonly logger: Logger,
    private readonly pollIntervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.pollIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.locks.values()]);
  }

  /** Runs `fn` with the pipeline's lock held. */
  exclusive<T>(id: number, fn: () => Promise<T>): Promise<T> {
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
        await this.reconcile(id).catch((error: unknown) => this.logger.warn({ pipelineId: id, err: error }, "reconciling the pipeline failed; retrying later"));
      }
    } catch (error) {
      this.logger.warn({ err: error }, "orchestrator tick failed");
    } finally {
      this.ticking = false;
    }
  }

  reconcile(id: number, call?: Partial<CallOptions>): Promise<Pipeline | undefined> {
    return this.exclusive(id, () => this.reconcileNow(id, call));
  }

  private async reconcileNow(id: number, call: Partial<CallOptions> = {}): Promise<Pipeline | undefined> {
    const pipeline = await this.repository.get(id);
    if (!pipeline) return undefined;
    const options: CallOptions = { requestId: call.requestId ?? pipeline.requestId ?? randomUUID(), deadline: call.deadline };
    const before = JSON.stringify(pipeline);
    const log = this.logger.child({ pipelineId: id, requestId: options.requestId });

    for (const step of pipeline.steps) {
      if (step.jobId !== null && !isFinalStep(step.status)) follow(step, await this.jobs.get(step.jobId, options));
    }
    pipeline.status = deriveStatus(pipeline);

    if (pipeline.status === "FAILED" || pipeline.status === "CANCELLED") {
      for (const step of pipeline.steps) {
        if (isFinalStep(step.status)) continue;
        if (step.jobId === null) step.status = "SKIPPED";
        else follow(step, await this.jobs.cancel(step.jobId, options));
      }
    } else {
      for (const step of readySteps(pipeline)) {
        const job = await this.jobs.create(
          { name: `${pipeline.name}: ${step.name}`.slice(0, 200), kind: step.kind, payload: step.payload, idempotencyKey: stepJobKey(pipeline.id, step.name), owner: pipeline.owner },
          options,
        );
        step.jobId = job.id;
        follow(step, job);
        log.info({ step: step.name, jobId: job.id }, "step submitted");
        // Saved at once: the job id is what lets a restart follow the step.
        await this.repository.save(pipeline);
      }
      pipeline.status = deriveStatus(pipeline);
    }

    if (JSON.stringify(pipeline) !== before) {
      pipeline.updatedAt = new Date();
      await this.repository.save(pipeline);
      if (JSON.parse(before).status !== pipeline.status) log.info({ status: pipeline.status }, "pipeline status changed");
    }
    return pipeline;
  }
}

function follow(step: Step, job: JobView): void {
  step.status = STEP_STATUS_OF_JOB[job.status] ?? step.status;
  step.error = job.error || null;
}
