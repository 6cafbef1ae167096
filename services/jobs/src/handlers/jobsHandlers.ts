// The JobsService methods: wire types in, domain calls, wire types out.
import {
  checkOwner,
  parseId,
  parsePageRequest,
  serverStream,
  toPage,
  fromTimestamp,
  InvalidArgumentError,
  toTimestamp,
  unary,
  Violations,
  type Logger,
} from "@platform/kit";
import {
  JobStatuses,
  type JobStatus as WireJobStatus,
  type Job as WireJob,
  type CreateJobRequest as WireCreateJobRequest,
  type KindStats as WireKindStats,
} from "@platform/proto";
import {
  checkJson,
  checkKind,
  checkQueue,
  isFinal,
  validateLeaseSeconds,
  validateNewJob,
  validateWorkerId,
  type Job,
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
  MAX_RETRY_IDS,
} from "@platform/proto/rules";
import { validateLeaseToken } from "../domain/leaseToken";
import type { StatusCount } from "../store/jobRepository";
import type { JobService } from "../usecases/jobService";
import type { JobRpcHandlers } from "./scheduleHandlers";

const timestamp = (date: Date | null) => (date === null ? null : toTimestamp(date));

export function toWireJob(job: Job, idempotentReplay = false): WireJob {
  return {
    id: String(job.id),
    job_name: job.name,
    status: JobStatuses.toWire(job.status),
    created_at: toTimestamp(job.createdAt),
    updated_at: toTimestamp(job.updatedAt),
    kind: job.kind,
    payload: job.payload ?? "",
    result: job.result ?? "",
    error: job.error ?? "",
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    started_at: timestamp(job.startedAt),
    finished_at: timestamp(job.finishedAt),
    worker_id: job.workerId ?? "",
    lease_expires_at: timestamp(job.leaseExpiresAt),
    run_after: toTimestamp(job.runAfter),
    idempotency_key: job.idempotencyKey ?? "",
    owner: job.owner,
    idempotent_replay: idempotentReplay,
    priority: job.priority,
    queue: job.queue,
    expires_at: timestamp(job.expiresAt),
    timeout_seconds: job.timeoutSeconds,
    run_deadline: timestamp(job.runDeadline),
  };
}

/** Grouped counts → one entry per kind, in kind order. */
export function toWireStats(counts: readonly StatusCount[], now: Date): WireKindStats[] {
  const byKind = new Map<string, Required<WireKindStats>>();
  for (const c of counts) {
    const entry = byKind.get(c.kind) ?? {
      kind: c.kind,
      pending: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      oldest_pending_age_seconds: 0,
    };
    const field = c.status.toLowerCase() as "pending" | "running" | "succeeded" | "failed" | "cancelled";
    entry[field] = Number(entry[field]) + c.count;
    if (c.status === "PENDING") {
      const age = Math.max(0, now.getTime() - c.oldestCreatedAt.getTime()) / 1000;
      entry.oldest_pending_age_seconds = Math.max(Number(entry.oldest_pending_age_seconds), age);
    }
    byKind.set(c.kind, entry);
  }
  return [...byKind.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

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

/** A CreateJobs item with an idempotency key (one call is already all or none). */
const CREATE_JOBS_KEY_MESSAGE = "is not supported in a batch create (use CreateJob)";

/** A CreateJob request (alone or in a batch) as validateNewJob's input. */
function newJobInput(request: WireCreateJobRequest) {
  return {
    name: request.job_name,
    kind: request.kind,
    payload: request.payload,
    maxAttempts: request.max_attempts,
    idempotencyKey: request.idempotency_key,
    owner: request.owner,
    priority: request.priority,
    queue: request.queue,
    runAt: fromTimestamp(request.run_at) ?? null,
    expiresAt: fromTimestamp(request.expires_at) ?? null,
    timeoutSeconds: request.timeout_seconds,
  };
}

/** How long before the caller's deadline a waiting claim answers empty. */
const CLAIM_DEADLINE_MARGIN_MS = 250;

export interface WatchOptions {
  /** How often a watch re-reads the job anyway (other replicas' changes also wake it via NOTIFY on PostgreSQL). */
  pollIntervalMs: number;
}

export function jobsHandlers(jobs: JobService, logger: Logger, watch: WatchOptions): JobRpcHandlers {
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
        try {
          newJobs.push(validateNewJob(newJobInput(item), now));
        } catch (error) {
          if (!(error instanceof InvalidArgumentError)) throw error;
          for (const v of error.violations) problems.add(`jobs.${i}.${v.field}`, v.message);
        }
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
      const { items, nextPageToken } = toPage(
        await jobs.list(page, statusFilter(request.status), ownerCondition(request.owner)),
        page.limit,
      );
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
          id: String(r.id),
          outcome: `RETRY_OUTCOME_${r.outcome}` as const,
          job: r.job && toWireJob(r.job),
          message: r.message,
        })),
      };
    }),

    ClaimJob: unary("ClaimJob", logger, async (request, ctx) => {
      const workerId = validateWorkerId(request.worker_id);
      const lease = validateLeaseSeconds(request.lease_seconds);
      const problems = new Violations();
      if (request.kinds.length > MAX_CLAIM_KINDS) problems.add("kinds", lengthMessage.items(MAX_CLAIM_KINDS));
      const kinds = request.kinds.slice(0, MAX_CLAIM_KINDS).map((kind, i) => checkKind(problems, `kinds.${i}`, kind));
      if (request.queues.length > MAX_CLAIM_QUEUES) problems.add("queues", lengthMessage.items(MAX_CLAIM_QUEUES));
      const queues = request.queues
        .slice(0, MAX_CLAIM_QUEUES)
        .map((queue, i) => checkQueue(problems, `queues.${i}`, queue));
      if (!Number.isInteger(request.wait_ms) || request.wait_ms < 0 || request.wait_ms > CLAIM_WAIT_MS_MAX)
        problems.add("wait_ms", CLAIM_WAIT_MS_MESSAGE);
      if (!Number.isInteger(request.max_jobs) || request.max_jobs < 0 || request.max_jobs > MAX_CLAIM_JOBS)
        problems.add("max_jobs", MAX_CLAIM_JOBS_MESSAGE);
      problems.throwIfAny();
      // A long poll ends (empty) a little before the caller's deadline, so it is an answer, not DEADLINE_EXCEEDED.
      const untilDeadline = ctx.deadline ? ctx.deadline.getTime() - Date.now() - CLAIM_DEADLINE_MARGIN_MS : Infinity;
      const waitMs = Math.max(0, Math.min(request.wait_ms, untilDeadline));
      const maxJobs = Math.max(1, request.max_jobs);
      const claimed = await jobs.claimMany(workerId, lease, kinds, { waitMs, signal: ctx.signal, queues, maxJobs });
      const first = claimed[0];
      if (!first) return { job: null, lease_token: "", claimed: [] };
      for (const { job } of claimed) ctx.logger.info({ jobId: job.id, workerId, attempt: job.attempts }, "job claimed");
      const wire = claimed.map(({ job, leaseToken }) => ({ job: toWireJob(job), lease_token: leaseToken }));
      return { job: wire[0]!.job, lease_token: first.leaseToken, claimed: wire };
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

    GetJobStats: unary("GetJobStats", logger, async (request) => ({
      kinds: toWireStats(await jobs.stats(ownerCondition(request.owner)), new Date()),
    })),
  };
}
