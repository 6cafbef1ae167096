// The worker's acknowledgements (a job's result or failure) on their way to the
// jobs service, sent in batches: a batch goes when `batchSize` are waiting, or
// `lingerMs` after the first of them (one such short batch in flight at a time;
// what finishes meanwhile goes in the next). Each ack's promise settles once its batch
// was sent, so the job's slot frees only then. close() sends everything waiting
// at once (and every later ack straight away): a stopping worker loses no ack.
// reportAcks sends one batch: CompleteJobs, or CompleteJob/FailJob for one ack alone;
// with a ThenClaim, CompleteJobs also leases the jobs that take the finished ones'
// slots (then_claim), so a busy worker needs no claim of its own.
import * as grpc from "@grpc/grpc-js";
import type { Logger } from "@platform/kit/logger";
import type { ClaimedJob__Output, CompleteJobsResponse__Output, Job__Output } from "@platform/proto/jobs";
import { messageOf } from "./payload";

export type Outcome = { ok: true; result: string } | { ok: false; error: string };
/** A finished job's outcome, waiting to be reported. */
export type Ack = { job: Job__Output; leaseToken: string; outcome: Outcome; log: Logger };
/** The worker's call to the jobs service (its hooks around it). */
type Rpc = (method: "CompleteJob" | "FailJob" | "CompleteJobs", request: object) => Promise<unknown>;
/** A claim to make in the same call as the acks (CompleteJobs' then_claim), and who takes what it leased. */
export interface ThenClaim {
  request: object;
  onClaimed(claimed: ClaimedJob__Output[]): void;
}

export class AckBatcher<A> {
  private readonly waiting: Array<{ ack: A; sent: () => void }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Every batch on its way. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The batch sent short of full (its linger ran out) and still on its way: at most one at a time. */
  private partial: Promise<void> | undefined;
  /** The linger ran out: what waits goes, full batch or not. */
  private due = false;
  private closing = false;

  constructor(
    /** Sends one batch; never rejects (the worker logs and falls back per ack). */
    private readonly send: (acks: A[]) => Promise<void>,
    private readonly batchSize: number,
    private readonly lingerMs: number,
  ) {}

  /** Queues `ack`; resolves once the batch that carries it was sent. */
  add(ack: A): Promise<void> {
    const sent = new Promise<void>((resolve) => this.waiting.push({ ack, sent: resolve }));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      this.kick();
    }, this.lingerMs);
    this.kick();
    return sent;
  }

  /** Sends every waiting ack now, and every later one as it comes; resolves when nothing is left to send. */
  async close(): Promise<void> {
    this.closing = true;
    this.kick();
    while (this.inFlight.size > 0 || this.waiting.length > 0) {
      await Promise.all(this.inFlight);
      this.kick();
    }
  }

  /**
   * Full batches go at once, side by side (with ackBatchSize 1, every ack alone, as before batching). The
   * rest goes once its linger ran out (or on close), but not while an earlier short batch is on its way:
   * what finishes meanwhile joins the next one, so a busy worker's batches fill up by themselves.
   */
  private kick(): void {
    while (this.waiting.length >= this.batchSize) this.launch(this.waiting.splice(0, this.batchSize), false);
    if (this.waiting.length === 0 || this.partial || !(this.due || this.closing)) return;
    this.due = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.launch(this.waiting.splice(0), true);
  }

  private launch(batch: Array<{ ack: A; sent: () => void }>, partial: boolean): void {
    const sending: Promise<void> = this.send(batch.map(({ ack }) => ack))
      .catch(() => {})
      .then(() => {
        for (const { sent } of batch) sent();
        this.inFlight.delete(sending);
        if (partial) {
          this.partial = undefined;
          this.kick();
        }
      });
    this.inFlight.add(sending);
    if (partial) this.partial = sending;
  }
}

/**
 * Reports finished jobs: one alone as CompleteJob or FailJob, several in one CompleteJobs call. A call that
 * fails as a whole (a service without CompleteJobs, a result it refuses, unreachable) falls back to one call
 * per job; a lease that ended meanwhile is that job's outcome only.
 */
export async function reportAcks(acks: Ack[], rpc: Rpc, logger: Logger, thenClaim?: ThenClaim): Promise<void> {
  if (acks.length > 1 || thenClaim) {
    try {
      const items = acks.map(({ job, leaseToken, outcome }) =>
        outcome.ok
          ? { job_id: job.id, lease_token: leaseToken, result: outcome.result }
          : { job_id: job.id, lease_token: leaseToken, failed: true, error: outcome.error },
      );
      const { results, claimed } = (await rpc(
        "CompleteJobs",
        thenClaim ? { items, then_claim: thenClaim.request } : { items },
      )) as CompleteJobsResponse__Output;
      results.forEach((r, i) => {
        const { log, outcome } = acks[i]!;
        if (r.outcome !== "COMPLETE_OUTCOME_RECORDED")
          log.warn({ outcome: r.outcome, reason: r.message }, "the job's outcome was not recorded");
        else if (outcome.ok) log.info("job succeeded");
        else log.info({ reason: outcome.error }, "job failed");
      });
      // A service from before then_claim answers without `claimed`: the worker's own claim takes over.
      thenClaim?.onClaimed(claimed ?? []);
      return;
    } catch (error) {
      logger.warn({ err: messageOf(error), jobs: acks.length }, "reporting a batch failed; one by one");
    }
  }
  await Promise.all(
    acks.map(({ job, leaseToken, outcome, log }) =>
      outcome.ok ? complete(rpc, job, leaseToken, outcome.result, log) : fail(rpc, job, leaseToken, outcome.error, log),
    ),
  );
}

async function complete(rpc: Rpc, job: Job__Output, leaseToken: string, result: string, log: Logger) {
  try {
    await rpc("CompleteJob", { job_id: job.id, lease_token: leaseToken, result });
    log.info("job succeeded");
  } catch (error) {
    const { code, details, message } = error as grpc.ServiceError;
    // A result the service refuses (too large) fails the attempt rather than leaving the job to its lease.
    if (code === grpc.status.INVALID_ARGUMENT)
      return fail(rpc, job, leaseToken, `the result was refused: ${details || message}`, log);
    log.warn({ err: message }, "reporting the result failed");
  }
}

async function fail(rpc: Rpc, job: Job__Output, leaseToken: string, reason: string, log: Logger) {
  try {
    await rpc("FailJob", { job_id: job.id, lease_token: leaseToken, error: reason });
    log.info({ reason }, "job failed");
  } catch (error) {
    log.warn({ err: (error as Error).message }, "reporting the failure failed");
  }
}
