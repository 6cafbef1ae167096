// CompleteJobs: many leased jobs finished in one call. Each item is complete() or
// fail() of the domain; the writes of one round go in one transaction.
import { FailedPreconditionError, PermissionDeniedError } from "@platform/kit";
import * as domain from "../domain/job";
import type { Job, RetryPolicy } from "../domain/job";
import type { LeaseTokenHash } from "../domain/leaseToken";
import type { JobRepository } from "../store/jobRepository";
import type { LeasedJobs } from "./leasedJobs";
import type { JobObserver } from "./queueMetrics";

/** Rounds of re-reading jobs that changed under a batch before it gives up. */
const CONFLICT_RETRIES = 10;

/** One acknowledgement of a CompleteJobs call: the attempt succeeded (with a result) or failed (with an error). */
export interface Completion {
  id: number;
  leaseToken: LeaseTokenHash;
  failed: boolean;
  result: string | null;
  error: string;
}

export interface CompletionResult {
  id: number;
  outcome: "RECORDED" | "NOT_FOUND" | "STALE_LEASE" | "WRONG_LEASE";
  /** The job now; null when NOT_FOUND or WRONG_LEASE (the caller holds no lease of it). */
  job: Job | null;
  message: string;
}

export interface CompletionDeps {
  repository: JobRepository;
  retry: RetryPolicy;
  observer?: JobObserver | undefined;
  /** Tells watchers and waiting claims; returns the job. */
  changed(job: Job): Job;
  /** The jobs this replica leased: the first round writes them as held, without reading them. */
  leased?: LeasedJobs | undefined;
}

/**
 * complete() or fail() for each item, written in one transaction (a job another call changed meanwhile
 * is re-read and written in another). A wrong or stale lease, or a missing job, is that item's outcome
 * and never stops the others. Results in request order; ids must be distinct.
 */
export async function completeMany(items: readonly Completion[], deps: CompletionDeps): Promise<CompletionResult[]> {
  const results: CompletionResult[] = [];
  let pending = items.map((item, index) => ({ item, index }));
  for (let attempt = 0; attempt < CONFLICT_RETRIES && pending.length > 0; attempt++) {
    const now = new Date();
    // The first round takes the jobs this replica leased as it holds them; the others, and every job of a
    // later round, are read.
    const held = new Map<number, Job>();
    for (const { item } of attempt === 0 && deps.leased ? pending : []) {
      const job = deps.leased!.take(item.id);
      if (job) held.set(item.id, job);
    }
    const unread = pending.filter(({ item }) => !held.has(item.id)).map(({ item }) => item.id);
    const found = new Map(unread.length === 0 ? [] : (await deps.repository.getMany(unread)).map((j) => [j.id, j]));
    const writes: Array<{ index: number; item: Completion; before: Job; after: Job }> = [];
    const again: typeof pending = [];
    for (const { item, index } of pending) {
      const job = held.get(item.id) ?? found.get(item.id);
      const outcome = (outcome: CompletionResult["outcome"], message: string, job: Job | null) =>
        (results[index] = { id: item.id, outcome, job, message });
      if (!job) {
        outcome("NOT_FOUND", `job ${item.id} not found`, null);
        continue;
      }
      try {
        const after = item.failed
          ? domain.fail(job, item.leaseToken, item.error, now, deps.retry)
          : domain.complete(job, item.leaseToken, item.result, now);
        writes.push({ index, item, before: job, after });
      } catch (error) {
        // A refusal is decided on the stored job, never on a held one.
        if (held.has(item.id)) again.push({ item, index });
        else if (error instanceof PermissionDeniedError) outcome("WRONG_LEASE", error.message, null);
        else if (error instanceof FailedPreconditionError) outcome("STALE_LEASE", error.message, job);
        else throw error;
      }
    }
    const saved = await deps.repository.saveMany(writes.map((write) => write.after));
    pending = again;
    writes.forEach(({ index, item, before }, i) => {
      const job = saved[i];
      if (!job) return void pending.push({ item, index });
      if (domain.isFinal(job.status) && !domain.isFinal(before.status)) deps.observer?.finished(job);
      results[index] = { id: item.id, outcome: "RECORDED", job: deps.changed(job), message: "" };
    });
  }
  if (pending.length > 0)
    throw new Error(`jobs ${pending.map(({ item }) => item.id)} kept changing under concurrent updates`);
  return results;
}
