// /jobs: create, read, list and cancel jobs, the worker protocol (claim,
// heartbeat, complete, fail: workerRoutes.ts) and a server-sent-events watch, through the jobs service.
// Users reach their own jobs, admins everyone's (ownerScope), workers only the
// worker protocol (requireWorker); the lease token from a claim authorises the rest.
import type { Job__Output } from "@platform/proto";
import { JOB_STATUSES, JobStatuses } from "@platform/proto/enums";
import {
  MAX_ATTEMPTS_MAX,
  MAX_ATTEMPTS_MESSAGE,
  MAX_ATTEMPTS_MIN,
  MAX_CREATE_JOBS,
  MAX_RETRY_IDS,
  NAME_MAX_LENGTH,
  PRIORITY_MAX,
  PRIORITY_MESSAGE,
  PRIORITY_MIN,
  TIMEOUT_SECONDS_MAX,
  TIMEOUT_SECONDS_MESSAGE,
} from "@platform/proto/rules";
import { Elysia, t, type Static } from "elysia";
import { bodyId, enumName, idParams, pageQuery, pathId, type Page } from "../../http/wire";
import { createdOrReplayed, createIdempotently, idempotencyDoc, idempotencyKeyOf } from "../../http/idempotency";
import { keepStreamOpen, SSE_HEADERS, SSE_KEEP_ALIVE, SSE_KEEP_ALIVE_MS, sseEvent } from "../../http/sse";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { newOwner, ownerScope } from "../../security/authorization";
import type { Upstreams } from "../../upstream";
import { jobsWorkerRoutes } from "./workerRoutes";
import {
  backoffBody,
  HTTP_CLAIM_WAIT_MS_MAX,
  kindName,
  queueName,
  time,
  timestampOf,
  toHttpJob,
  toHttpStats,
  WATCH_MAX_MS,
  type HttpJob,
} from "./shapes";

export { HTTP_CLAIM_WAIT_MS_MAX, kindName, queueName, toHttpJob, toHttpStats, WATCH_MAX_MS, type HttpJob };

/** A job to create (POST /jobs/, each item of POST /jobs/batch). */
const newJobBody = t.Object(
  {
    job_name: t.String({ minLength: 1, maxLength: NAME_MAX_LENGTH }),
    kind: t.Optional(kindName),
    payload: t.Optional(t.Unknown()),
    max_attempts: t.Optional(
      t.Integer({ minimum: MAX_ATTEMPTS_MIN, maximum: MAX_ATTEMPTS_MAX, error: MAX_ATTEMPTS_MESSAGE }),
    ),
    priority: t.Optional(
      t.Integer({
        minimum: PRIORITY_MIN,
        maximum: PRIORITY_MAX,
        error: PRIORITY_MESSAGE,
        description: "Higher is claimed first; 0 by default.",
      }),
    ),
    queue: t.Optional(queueName),
    timeout_seconds: t.Optional(
      t.Integer({
        minimum: 0,
        maximum: TIMEOUT_SECONDS_MAX,
        error: TIMEOUT_SECONDS_MESSAGE,
        description: "How long each attempt may run (heartbeats do not extend it); 0 or absent: no limit.",
      }),
    ),
    run_at: t.Optional(time("Not claimed before this time (at most 366 days ahead); absent: now.")),
    expires_at: t.Optional(
      time('Not claimed by then: the job becomes FAILED ("expired: ..."). After run_at (or now).'),
    ),
    backoff: t.Optional(backoffBody),
  },
  { additionalProperties: false },
);

/** A new job's HTTP body as a CreateJob request. */
const createJobRequest = (body: Static<typeof newJobBody>, owner: string, idempotencyKey: string) => ({
  job_name: body.job_name,
  kind: body.kind ?? "",
  payload: body.payload === undefined ? "" : JSON.stringify(body.payload),
  max_attempts: body.max_attempts ?? 0,
  idempotency_key: idempotencyKey,
  owner,
  priority: body.priority ?? 0,
  queue: body.queue ?? "",
  run_at: timestampOf(body.run_at),
  expires_at: timestampOf(body.expires_at),
  timeout_seconds: body.timeout_seconds ?? 0,
  backoff: body.backoff
    ? {
        initial_ms: body.backoff.initial_ms ?? 0,
        max_ms: body.backoff.max_ms ?? 0,
        multiplier: body.backoff.multiplier ?? 0,
      }
    : null,
});

export const jobsModule = (config: TokenConfig, upstreams: Pick<Upstreams, "jobs">) =>
  new Elysia({ name: "jobs", prefix: "/jobs" })
    .use(withRequestId)
    .use(auth(config))
    .use(jobsWorkerRoutes(config, upstreams))
    .post(
      "/",
      async ({ body, headers, principal, requestId, set }) => {
        const owner = newOwner(principal);
        const idempotencyKey = idempotencyKeyOf(headers);
        const job = await createIdempotently(() =>
          upstreams.jobs.call("CreateJob", createJobRequest(body, owner, idempotencyKey), { requestId }),
        );
        return createdOrReplayed(set, job.idempotent_replay, `/jobs/${job.id}`, toHttpJob(job));
      },
      {
        detail: {
          summary: "Create a job",
          description:
            "201 with the job (PENDING) and its Location. With an Idempotency-Key header, a repeat of the same " +
            "request returns the job created first (200, Idempotent-Replayed: true) instead of another one.",
          ...idempotencyDoc,
        },
        body: newJobBody,
      },
    )
    .post(
      "/batch",
      async ({ body, principal, requestId, set }) => {
        const owner = newOwner(principal);
        const { jobs } = await upstreams.jobs.call(
          "CreateJobs",
          { jobs: body.jobs.map((job) => createJobRequest(job, owner, "")) },
          { requestId },
        );
        set.status = 201;
        return { items: jobs.map((job) => toHttpJob(job)) };
      },
      {
        detail: {
          summary: "Create many jobs",
          description:
            `201 with the created jobs (PENDING), in request order. Up to ${MAX_CREATE_JOBS} jobs, created ` +
            "together or not at all: one bad item (errors name jobs.<i>.<field>) creates none.",
        },
        body: t.Object(
          { jobs: t.Array(newJobBody, { minItems: 1, maxItems: MAX_CREATE_JOBS }) },
          { additionalProperties: false },
        ),
      },
    )
    .post(
      "/retry",
      async ({ body, principal, requestId }) => {
        const { results } = await upstreams.jobs.call(
          "RetryJobs",
          { ids: body.ids.map(String), owner: ownerScope(principal) },
          { requestId },
        );
        return {
          results: results.map((r) => ({
            id: Number(r.id),
            outcome: enumName(r.outcome, "RETRY_OUTCOME_").toLowerCase(),
            ...(r.job ? { job: toHttpJob(r.job) } : {}),
            ...(r.message && r.outcome !== "RETRY_OUTCOME_RETRIED" ? { detail: r.message } : {}),
          })),
        };
      },
      {
        body: t.Object(
          { ids: t.Array(bodyId(), { minItems: 1, maxItems: MAX_RETRY_IDS }) },
          { additionalProperties: false },
        ),
        detail: {
          summary: "Retry jobs in bulk",
          description:
            `Re-runs up to ${MAX_RETRY_IDS} FAILED or CANCELLED jobs, as POST /jobs/{id}/retry does, and reports ` +
            "each id in request order: `retried` (with the job, PENDING), `not_found` (no such job, or another " +
            "owner's) or `not_retryable` (with the job as it is and a `detail`). Always 200.",
        },
      },
    )
    // A static path: Elysia matches it before "/:id" (and it is registered first).
    .get("/stats", async ({ principal, requestId }) =>
      toHttpStats(await upstreams.jobs.call("GetJobStats", { owner: ownerScope(principal) }, { requestId })),
    )
    .get(
      "/:id",
      async ({ params, principal, requestId }) =>
        toHttpJob(
          await upstreams.jobs.call(
            "GetJob",
            { id: String(pathId(params.id)), owner: ownerScope(principal) },
            { requestId },
          ),
        ),
      { params: idParams },
    )
    .get(
      "/",
      async ({ query, principal, requestId }): Promise<Page<HttpJob>> => {
        const page = await upstreams.jobs.call(
          "ListJobs",
          {
            page_size: query.page_size ?? 0,
            page_token: query.page_token ?? "",
            status: JobStatuses.is(query.status) ? JobStatuses.toWire(query.status) : JobStatuses.unspecified,
            owner: ownerScope(principal),
            kind: query.kind ?? "",
            queue: query.queue ?? "",
          },
          { requestId },
        );
        return { items: page.jobs.map(toHttpJob), next_page_token: page.next_page_token };
      },
      {
        query: t.Object({
          ...pageQuery.properties,
          // A pattern, not t.UnionEnum: Elysia fills an absent optional enum with its first member.
          status: t.Optional(
            t.String({
              pattern: `^(?:${JOB_STATUSES.join("|")})$`,
              error: `must be one of ${JOB_STATUSES.join(", ")}`,
            }),
          ),
          kind: t.Optional(kindName),
          queue: t.Optional(queueName),
        }),
      },
    )
    .post(
      "/:id/cancel",
      async ({ params, principal, requestId }) =>
        toHttpJob(
          await upstreams.jobs.call(
            "CancelJob",
            { id: String(pathId(params.id)), owner: ownerScope(principal) },
            { requestId },
          ),
        ),
      { params: idParams },
    )
    .post(
      "/:id/retry",
      async ({ params, principal, requestId }) =>
        toHttpJob(
          await upstreams.jobs.call(
            "RetryJob",
            { id: String(pathId(params.id)), owner: ownerScope(principal) },
            { requestId },
          ),
        ),
      {
        params: idParams,
        detail: {
          summary: "Re-run a failed or cancelled job",
          description:
            "A FAILED (its attempts used up: the dead-letter state) or CANCELLED job goes back to PENDING, " +
            "claimable now, with attempts from 0; its last error stays until an attempt succeeds. Any other " +
            "status is 409; another owner's job is 404.",
        },
      },
    )
    .get(
      "/:id/watch",
      async ({ params, principal, requestId, set, request, server }) => {
        const id = String(pathId(params.id));
        const owner = ownerScope(principal);
        // A plain call first, so an unknown id (or another owner's) is an ordinary 404 problem rather than a broken stream.
        await upstreams.jobs.call("GetJob", { id, owner }, { requestId });
        keepStreamOpen(server, request);
        const stream = upstreams.jobs.stream("WatchJob", { id, owner }, { requestId, deadlineMs: WATCH_MAX_MS });
        let open = true;
        let keepAlive: Timer | undefined;
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            const finish = (last?: Uint8Array) => {
              if (!open) return;
              open = false;
              clearInterval(keepAlive);
              if (last) controller.enqueue(last);
              controller.close();
            };
            keepAlive = setInterval(() => open && controller.enqueue(SSE_KEEP_ALIVE), SSE_KEEP_ALIVE_MS);
            stream.on("data", (job: Job__Output) => open && controller.enqueue(sseEvent(toHttpJob(job))));
            stream.on("end", () => finish());
            stream.on("error", (error: { code?: number; details?: string }) =>
              finish(
                sseEvent({ grpc_code: error.code, detail: "the watch ended early; reconnect to resume" }, "error"),
              ),
            );
            request.signal.addEventListener("abort", () => {
              open = false;
              clearInterval(keepAlive);
              stream.cancel();
            });
          },
          cancel() {
            open = false;
            clearInterval(keepAlive);
            stream.cancel();
          },
        });
        return new Response(body, {
          headers: { ...(set.headers as Record<string, string>), ...SSE_HEADERS },
        });
      },
      { params: idParams },
    );
