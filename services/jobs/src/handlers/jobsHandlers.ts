// The JobsService methods: wire types in, domain calls, wire types out.
import {
  checkOwner,
  parseId,
  parsePageRequest,
  serverStream,
  toPage,
  unary,
  Violations,
  type CallContext,
  type Logger,
} from "@platform/kit";
import {
  JobStatuses,
  type ClaimJobRequest,
  type CompleteJobsItem,
  type JobStatus as WireJobStatus,
  type ListJobsRequest,
} from "@platform/proto";
import {
  checkJson,
  checkKind,
  checkQueue,
  isFinal,
  validateLeaseSeconds,
  validateNewJob,
  validateWorkerId,
  type JobStatus,
  type NewJob,
} from "../domain/job";
import {
  CLAIM_WAIT_MS_MAX,
  CLAIM_WAIT_MS_MESSAGE,
  lengthMessage,
  MAX_CLAIM_JOBS,
  MAX_CLAIM_JOBS_MESSAGE,
  MAX_CLAIM_KINDS,
  MAX_CREATE_JOBS,
  MAX_CLAIM_QUEUES,
  MAX_COMPLETE_JOBS,
  MAX_RETRY_IDS,
} from "@platform/proto/rules";
import { validateLeaseToken } from "../domain/leaseToken";
import type { JobFilter } from "../store/jobRepository";
import type { ClaimArgs, ClaimedJob, Completion, JobService } from "../usecases/jobService";
import type { JobRpcHandlers } from "./scheduleHandlers";
import { newJobInput, toWireJob, toWireStats } from "./wire";

export { toWireJob, toWireStats };

/** An owner condition: empty (any owner) or a valid owner. */
export function ownerCondition(owner: string): string {
  if (owner === "") return "";
  const problems = new Violations();
  checkOwner(problems, "owner", owner);
  problems.throwIfAny();
  return owner;
}

function statusFilter(status: WireJobStatus): JobStatus | undefined {
  return JobStatuses.fromWire(status);
}

/** ListJobs' filter: an empty field is any; a set kind or queue must have their shape (INVALID_ARGUMENT naming it). */
function listFilter(request: ListJobsRequest): JobFilter {
  const owner = ownerCondition(request.owner);
  const problems = new Violations();
  const kind = request.kind === "" ? undefined : checkKind(problems, "kind", request.kind);
  const queue = request.queue === "" ? undefined : checkQueue(problems, "queue", request.queue);
  problems.throwIfAny();
  return { status: statusFilter(request.status), owner: owner || undefined, kind, queue };
}

/** A CreateJobs item with an idempotency key (one call is already all or none). */
const CREATE_JOBS_KEY_MESSAGE = "is not supported in a batch create (use CreateJob)";

/** What a claim asks for, checked. */
interface ClaimRequest {
  workerId: string;
  lease: number;
  kinds: string[];
  queues: string[];
  waitMs: number;
  maxJobs: number;
}

/**
 * A ClaimJobRequest (ClaimJob's, or CompleteJobs' then_claim with `prefix` "then_claim."), every problem
 * at once: INVALID_ARGUMENT naming <prefix><field>.
 */
function validateClaim(request: ClaimJobRequest, prefix = ""): ClaimRequest {
  const problems = new Violations();
  const field = (name: string) => `${prefix}${name}`;
  const workerId = problems.collect(() => validateWorkerId(request.worker_id), field);
  const lease = problems.collect(() => validateLeaseSeconds(request.lease_seconds), field);
  if (request.kinds.length > MAX_CLAIM_KINDS) problems.add(field("kinds"), lengthMessage.items(MAX_CLAIM_KINDS));
  const kinds = request.kinds
    .slice(0, MAX_CLAIM_KINDS)
    .map((kind, i) => checkKind(problems, field(`kinds.${i}`), kind));
  if (request.queues.length > MAX_CLAIM_QUEUES) problems.add(field("queues"), lengthMessage.items(MAX_CLAIM_QUEUES));
  const queues = request.queues
    .slice(0, MAX_CLAIM_QUEUES)
    .map((queue, i) => checkQueue(problems, field(`queues.${i}`), queue));
  if (!Number.isInteger(request.wait_ms) || request.wait_ms < 0 || request.wait_ms > CLAIM_WAIT_MS_MAX)
    problems.add(field("wait_ms"), CLAIM_WAIT_MS_MESSAGE);
  if (!Number.isInteger(request.max_jobs) || request.max_jobs < 0 || request.max_jobs > MAX_CLAIM_JOBS)
    problems.add(field("max_jobs"), MAX_CLAIM_JOBS_MESSAGE);
  problems.throwIfAny();
  return {
    workerId: workerId!,
    lease: lease!,
    kinds,
    queues,
    waitMs: request.wait_ms,
    maxJobs: Math.max(1, request.max_jobs),
  };
}

/** CompleteJobs' then_claim: a claim whose answer never waits. */
function validateThenClaim(request: ClaimJobRequest): ClaimRequest {
  if (request.wait_ms !== 0)
    new Violations()
      .add("then_claim.wait_ms", "must be 0: CompleteJobs answers at once (long-poll ClaimJob to wait for work)")
      .throwIfAny();
  return validateClaim(request, "then_claim.");
}

/**
 * CompleteJobs' items, all checked before anything is written: INVALID_ARGUMENT naming items.<i>.<field>
 * for every problem (a bad id or token, a result that is not JSON, a result with a failure or an error
 * with a success, the same job twice).
 */
function validateCompletions(items: readonly CompleteJobsItem[]): Completion[] {
  const problems = new Violations();
  if (items.length === 0) problems.add("items", lengthMessage.empty);
  if (items.length > MAX_COMPLETE_JOBS) problems.add("items", lengthMessage.items(MAX_COMPLETE_JOBS));
  problems.throwIfAny();
  const seen = new Set<number>();
  const completions = items.flatMap((item, i): Completion[] => {
    const field = (name: string) => `items.${i}.${name}`;
    const completion = problems.collect((): Completion => {
      const id = parseId(field("job_id"), item.job_id);
      const leaseToken = validateLeaseToken(item.lease_token, field("lease_token"));
      if (seen.has(id)) problems.add(field("job_id"), "must not repeat an earlier item's job");
      seen.add(id);
      if (item.failed && item.result !== "") problems.add(field("result"), "must be empty when the item fails");
      if (!item.failed && item.error !== "") problems.add(field("error"), "must be empty unless the item fails");
      const result = checkJson(problems, field("result"), item.result);
      return { id, leaseToken, failed: item.failed, result, error: item.error };
    });
    return completion ? [completion] : [];
  });
  problems.throwIfAny();
  return completions;
}

/** How long before the caller's deadline a waiting claim answers empty. */
const CLAIM_DEADLINE_MARGIN_MS = 250;

export interface WatchOptions {
  /** How often a watch re-reads the job anyway (other replicas' changes also wake it via NOTIFY on PostgreSQL). */
  pollIntervalMs: number;
}

export function jobsHandlers(jobs: JobService, logger: Logger, watch: WatchOptions): JobRpcHandlers {
  /** JobService.claimMany's arguments for `claim` (ClaimJob's, or CompleteJobs' then_claim). */
  const claimArgs = (claim: ClaimRequest, ctx: CallContext): ClaimArgs => {
    const { workerId, lease, kinds, queues, waitMs, maxJobs } = claim;
    return [workerId, lease, kinds, { waitMs, signal: ctx.signal, queues, maxJobs }];
  };
  /** The leased jobs on the wire, with their tokens, each logged. */
  const leasesOf = (claimed: readonly ClaimedJob[], ctx: CallContext) =>
    claimed.map(({ job, leaseToken }) => {
      ctx.logger.info({ jobId: job.id, workerId: job.workerId, attempt: job.attempts }, "job claimed");
      return { job: toWireJob(job), lease_token: leaseToken };
    });
  return {
    CreateJob: unary("CreateJob", logger, async (request, ctx) => {
      const { job, replayed } = await jobs.create(validateNewJob(newJobInput(request), new Date()));
      ctx.logger.info(
        { jobId: job.id, kind: job.kind, queue: job.queue },
        replayed ? "job create replayed" : "job created",
      );
      return toWireJob(job, replayed);
    }),

    CreateJobs: unary("CreateJobs", logger, async (request, ctx) => {
      const problems = new Violations();
      if (request.jobs.length === 0) problems.add("jobs", lengthMessage.empty);
      if (request.jobs.length > MAX_CREATE_JOBS) problems.add("jobs", lengthMessage.items(MAX_CREATE_JOBS));
      problems.throwIfAny();
      const now = new Date();
      const newJobs: NewJob[] = [];
      request.jobs.forEach((item, i) => {
        if (item.idempotency_key !== "") problems.add(`jobs.${i}.idempotency_key`, CREATE_JOBS_KEY_MESSAGE);
        const job = problems.collect(
          () => validateNewJob(newJobInput(item), now),
          (field) => `jobs.${i}.${field}`,
        );
        if (job) newJobs.push(job);
      });
      problems.throwIfAny();
      const created = await jobs.createMany(newJobs);
      ctx.logger.info({ count: created.length, firstJobId: created[0]?.id }, "jobs created");
      return { jobs: created.map((job) => toWireJob(job)) };
    }),

    GetJob: unary("GetJob", logger, async (request) =>
      toWireJob(await jobs.get(parseId("id", request.id), ownerCondition(request.owner))),
    ),

    ListJobs: unary("ListJobs", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(await jobs.list(page, listFilter(request)), page.limit);
      return { jobs: items.map((job) => toWireJob(job)), next_page_token: nextPageToken };
    }),

    CancelJob: unary("CancelJob", logger, async (request, ctx) => {
      const job = await jobs.cancel(parseId("id", request.id), ownerCondition(request.owner));
      ctx.logger.info({ jobId: job.id }, "job cancelled");
      return toWireJob(job);
    }),

    RetryJob: unary("RetryJob", logger, async (request, ctx) => {
      const job = await jobs.retry(parseId("id", request.id), ownerCondition(request.owner));
      ctx.logger.info({ jobId: job.id }, "job retried");
      return toWireJob(job);
    }),

    RetryJobs: unary("RetryJobs", logger, async (request, ctx) => {
      const problems = new Violations();
      if (request.ids.length === 0) problems.add("ids", lengthMessage.empty);
      if (request.ids.length > MAX_RETRY_IDS) problems.add("ids", lengthMessage.items(MAX_RETRY_IDS));
      problems.throwIfAny();
      const ids = request.ids.map((id, i) => parseId(`ids.${i}`, id));
      const results = await jobs.retryMany(ids, ownerCondition(request.owner));
      ctx.logger.info({ retried: results.filter((r) => r.outcome === "RETRIED").map((r) => r.id) }, "jobs retried");
      return {
        results: results.map((r) => ({
          id: r.id,
          outcome: `RETRY_OUTCOME_${r.outcome}` as const,
          job: r.job && toWireJob(r.job),
          message: r.message,
        })),
      };
    }),

    ClaimJob: unary("ClaimJob", logger, async (request, ctx) => {
      const claim = validateClaim(request);
      // A long poll ends (empty) a little before the caller's deadline, so it is an answer, not DEADLINE_EXCEEDED.
      const untilDeadline = ctx.deadline ? ctx.deadline.getTime() - Date.now() - CLAIM_DEADLINE_MARGIN_MS : Infinity;
      const waitMs = Math.max(0, Math.min(claim.waitMs, untilDeadline));
      const claimed = leasesOf(await jobs.claimMany(...claimArgs({ ...claim, waitMs }, ctx)), ctx);
      return { job: claimed[0]?.job ?? null, lease_token: claimed[0]?.lease_token ?? "", claimed };
    }),

    Heartbeat: unary("Heartbeat", logger, async (request) => {
      const id = parseId("job_id", request.job_id);
      const lease = validateLeaseSeconds(request.lease_seconds);
      return toWireJob(await jobs.heartbeat(id, validateLeaseToken(request.lease_token), lease));
    }),

    CompleteJob: unary("CompleteJob", logger, async (request, ctx) => {
      const id = parseId("job_id", request.job_id);
      const token = validateLeaseToken(request.lease_token);
      const problems = new Violations();
      const result = checkJson(problems, "result", request.result);
      problems.throwIfAny();
      const job = await jobs.complete(id, token, result);
      ctx.logger.info({ jobId: id }, "job succeeded");
      return toWireJob(job);
    }),

    CompleteJobs: unary("CompleteJobs", logger, async (request, ctx) => {
      const completions = validateCompletions(request.items);
      const thenClaim = request.then_claim ? validateThenClaim(request.then_claim) : undefined;
      const { results, claimed } = await jobs.completeManyThenClaim(
        completions,
        thenClaim && claimArgs(thenClaim, ctx),
      );
      ctx.logger.info(
        { recorded: results.filter((r) => r.outcome === "RECORDED").map((r) => r.id), count: results.length },
        "jobs completed",
      );
      return {
        results: results.map((r) => ({
          job_id: r.id,
          outcome: `COMPLETE_OUTCOME_${r.outcome}` as const,
          job: r.job && toWireJob(r.job),
          message: r.message,
        })),
        claimed: leasesOf(claimed, ctx),
      };
    }),

    FailJob: unary("FailJob", logger, async (request, ctx) => {
      const id = parseId("job_id", request.job_id);
      const job = await jobs.fail(id, validateLeaseToken(request.lease_token), request.error);
      ctx.logger.info({ jobId: id, status: job.status, attempts: job.attempts }, "job attempt failed");
      return toWireJob(job);
    }),

    WatchJob: serverStream("WatchJob", logger, async (request, ctx, send) => {
      const id = parseId("id", request.id);
      const owner = ownerCondition(request.owner);
      let lastVersion = -1;
      let done = false;
      let wake: () => void = () => {};
      // Every change this replica makes arrives at once, other replicas' through NOTIFY on
      // PostgreSQL; the poll is the safety net (SQLite shared by processes, a lost notification).
      const unsubscribe = jobs.onAnyChange(id, () => wake());
      const poll = setInterval(() => wake(), watch.pollIntervalMs);
      ctx.signal.addEventListener("abort", () => wake());
      try {
        while (!done && !ctx.signal.aborted) {
          const changed = new Promise<void>((resolve) => (wake = resolve));
          const job = await jobs.get(id, owner);
          if (job.version !== lastVersion) {
            lastVersion = job.version;
            send(toWireJob(job));
            done = isFinal(job.status);
          }
          if (!done) await changed;
        }
      } finally {
        unsubscribe();
        clearInterval(poll);
      }
    }),

    GetJobStats: unary("GetJobStats", logger, async (request) =>
      toWireStats(await jobs.stats(ownerCondition(request.owner)), new Date()),
    ),
  };
}
