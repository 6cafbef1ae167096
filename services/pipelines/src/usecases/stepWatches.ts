// The orchestrator's watches of its step jobs (WatchJob): one per submitted,
// unfinished step job, up to a cap. Each keeps the job as its stream last sent
// it, so a reconcile a change started needs no GetJob for it; a message with a
// new status calls `onChange` with the job's pipeline; a stream that breaks or
// times out calls `onBroken` a little later (a reconcile then reopens it). A
// watch whose job is final stays until the reconcile that follows it.
import { randomUUID } from "node:crypto";
import { isFinalStep, type Step } from "../domain/pipeline";
import type { JobsApi, JobView } from "../clients/jobsClient";

/** A watch's deadline; a watch that ends before its job does is reopened by a reconcile. */
const WATCH_DEADLINE_MS = 10 * 60_000;
/** After a watch broke, how long before its pipeline is reconciled (and the watch reopened). */
const WATCH_REOPEN_DELAY_MS = 1_000;

interface Watch {
  pipelineId: number;
  /** The job's status as last seen; a message with another one is a change. */
  status: string | undefined;
  /** The job as the stream last sent it; undefined until its first message. */
  job: JobView | undefined;
  stop: () => void;
}

export class StepWatches {
  /** Open watches, by job id. */
  private readonly watches = new Map<number, Watch>();
  private readonly reopenTimers = new Set<ReturnType<typeof setTimeout>>();
  /** New watches are opened only while open. */
  private open = false;

  constructor(
    private readonly jobs: JobsApi,
    private readonly maxWatches: number,
    private readonly onChange: (pipelineId: number) => void,
    private readonly onBroken: (pipelineId: number) => void,
  ) {}

  get size(): number {
    return this.watches.size;
  }

  start(): void {
    this.open = true;
  }

  /** Ends every watch; no new ones until start(). */
  stop(): void {
    this.open = false;
    for (const timer of this.reopenTimers) clearTimeout(timer);
    this.reopenTimers.clear();
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }

  /** The job as its watch last saw it; undefined when it is not watched or nothing arrived yet. */
  seen(jobId: number): JobView | undefined {
    return this.watches.get(jobId)?.job;
  }

  /** Watches the step's job while it is unfinished (and there is room); stops watching it once final. */
  follow(pipelineId: number, step: Step): void {
    if (step.jobId === null) return;
    const watch = this.watches.get(step.jobId);
    if (isFinalStep(step.status)) {
      if (watch) this.unwatch(step.jobId);
    } else if (watch) watch.status = step.status;
    else if (this.open && this.watches.size < this.maxWatches) this.watch(pipelineId, step.jobId, step.status);
  }

  /** Stops watching the pipeline's jobs: another replica holds it now, or it is gone. */
  unwatchPipeline(pipelineId: number): void {
    for (const [jobId, watch] of this.watches) if (watch.pipelineId === pipelineId) this.unwatch(jobId);
  }

  private watch(pipelineId: number, jobId: number, status: string): void {
    const watch: Watch = { pipelineId, status, job: undefined, stop: () => {} };
    this.watches.set(jobId, watch);
    watch.stop = this.jobs.watch(
      jobId,
      (job) => {
        watch.job = job;
        if (job.status === watch.status) return;
        watch.status = job.status;
        this.onChange(pipelineId);
      },
      (final) => {
        // Ended with its job: kept (its last message is the final state) until a reconcile has seen it (follow()).
        if (final) return;
        if (this.watches.get(jobId) === watch) this.watches.delete(jobId);
        if (!this.open) return;
        // Broken or timed out: reconcile soon, which reopens it (not at once: the jobs service may be down).
        const timer = setTimeout(() => {
          this.reopenTimers.delete(timer);
          this.onBroken(pipelineId);
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
}
