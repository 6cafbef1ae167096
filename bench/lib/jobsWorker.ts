// A minimal worker for the jobs scenario: a client of the jobs gRPC contract that
// runs noop jobs, `concurrency` claim loops, and records when each job was claimed
// and acknowledged. It claims the way the worker SDK does: a long-poll ClaimJob
// (wait_ms = WORKER_CLAIM_WAIT_MS) that answers the moment a job is ready, and
// right after an empty answer (its wait ran out) the next one; a busy loop reports
// its jobs in one CompleteJobs whose then_claim brings the next ones, as the SDK
// does. With `maxJobs` > 1 it is a batched worker: each loop claims up to maxJobs
// jobs in one ClaimJob (max_jobs) and acknowledges them all at once.
import { ServiceClient } from "@platform/kit";
import { jobs, SERVICE_NAMES, type ClaimedJob__Output, type Job__Output } from "@platform/proto";
import { randomUUID } from "node:crypto";

type Phase = "claimed" | "done";
type Lease = { job: Job__Output; token: string };

/** The leases in a claim's answer (ClaimJob's `claimed`, or CompleteJobs' then_claim's). */
const leasesOf = (claimed: readonly ClaimedJob__Output[]): Lease[] =>
  claimed.flatMap(({ job, lease_token }) => (job ? [{ job, token: lease_token }] : []));

/** Deadline of each call, on top of a claim's wait. */
const CALL_TIMEOUT_MS = 10_000;

export class BenchWorker {
  private readonly client: ServiceClient<typeof jobs.JobsService.service>;
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  /** Ends the waiting claims on stop. */
  private readonly stopped = new AbortController();
  /** performance.now() at each job's claim answer and at its CompleteJob answer. */
  private readonly seen: Record<Phase, Map<string, number>> = { claimed: new Map(), done: new Map() };
  private readonly waiters: Record<Phase, Map<string, (at: number) => void>> = { claimed: new Map(), done: new Map() };
  /** Jobs acknowledged since start. */
  completed = 0;
  private onCompleted: () => void = () => {};

  constructor(
    jobsServiceUrl: string,
    private readonly options: { concurrency: number; claimWaitMs: number; maxJobs?: number; kind?: string },
  ) {
    this.client = new ServiceClient(SERVICE_NAMES.jobs, jobsServiceUrl, jobs.JobsService.service, {
      timeoutMs: CALL_TIMEOUT_MS,
    });
  }

  start(): this {
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
    return this;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopped.abort();
    await Promise.all(this.loops);
    this.client.close();
  }

  /** When the job was claimed (or acknowledged), performance.now() in this process. */
  when(phase: Phase, jobId: string): Promise<number> {
    const at = this.seen[phase].get(jobId);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiters[phase].set(jobId, resolve));
  }

  /** Resolves once `count` jobs have been acknowledged since start. */
  completedCount(count: number): Promise<void> {
    if (this.completed >= count) return Promise.resolve();
    return new Promise((resolve) => {
      this.onCompleted = () => {
        if (this.completed >= count) resolve();
      };
    });
  }

  forget(jobId: string): void {
    this.seen.claimed.delete(jobId);
    this.seen.done.delete(jobId);
  }

  private mark(phase: Phase, jobId: string): void {
    const at = performance.now();
    const waiter = this.waiters[phase].get(jobId);
    if (waiter) {
      this.waiters[phase].delete(jobId);
      waiter(at);
    } else this.seen[phase].set(jobId, at);
  }

  private claimRequest(waitMs: number, maxJobs: number) {
    return {
      worker_id: "bench-worker",
      lease_seconds: 30,
      kinds: [this.options.kind ?? "noop"],
      wait_ms: waitMs,
      max_jobs: maxJobs,
    };
  }

  /** The one place that asks the jobs service for work: waits up to claimWaitMs for jobs (none: none came, or stopping). */
  private async claim(): Promise<Lease[]> {
    const waitMs = this.options.claimWaitMs;
    try {
      const r = await this.client.call(
        "ClaimJob",
        this.claimRequest(waitMs, this.options.maxJobs ?? 1),
        { requestId: randomUUID() },
        { timeoutMs: CALL_TIMEOUT_MS + waitMs, signal: this.stopped.signal },
      );
      return leasesOf(r.claimed);
    } catch (error) {
      if (this.stopping) return [];
      throw error;
    }
  }

  private async loop(): Promise<void> {
    let leases: Lease[] = [];
    while (!this.stopping || leases.length > 0) {
      if (leases.length === 0) leases = await this.claim();
      if (leases.length === 0) continue;
      for (const { job } of leases) this.mark("claimed", job.id);
      // As the worker SDK reports a busy slot's jobs: one CompleteJobs whose then_claim brings the next ones
      // (none once stopping).
      const { claimed } = await this.client.call(
        "CompleteJobs",
        {
          items: leases.map(({ job, token }) => ({ job_id: job.id, lease_token: token, result: "" })),
          then_claim: this.stopping ? null : this.claimRequest(0, leases.length),
        },
        { requestId: randomUUID() },
      );
      for (const { job } of leases) {
        this.completed += 1;
        this.mark("done", job.id);
        this.onCompleted();
      }
      leases = leasesOf(claimed);
    }
  }
}
