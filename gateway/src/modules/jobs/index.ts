// /jobs: create, read, list and cancel jobs, the worker protocol (claim,
// heartbeat, complete, fail: workerRoutes.ts) and a server-sent-events watch, through the jobs service.
// Users reach their own jobs, admins everyone's (ownerScope), workers only the
// worker protocol (requireWorker); the lease token from a claim authorises the rest.
import type { Job__Output } from "@platform/proto";
import { JOB_STATUSES, JobStatuses } from "@platform/proto/enums";
import { MAX_CREATE_JOBS, MAX_RETRY_IDS } from "@platform/proto/rules";
import { Elysia, t } from "elysia";
import { AUTH, BODY, BY_ID, eventStream, moduleDoc, responses, UPSTREAM } from "../../http/responses";
import { bodyId, enumName, idParams, PageOf, pageQuery, pageSizeOf, pathId } from "../../http/wire";
import { createdOrReplayed, createIdempotently, idempotencyDoc, idempotencyKeyOf } from "../../http/idempotency";
import { keepStreamOpen, SSE_HEADERS, SSE_KEEP_ALIVE, SSE_KEEP_ALIVE_MS, sseEvent } from "../../http/sse";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { newOwner, ownedById, ownerScope } from "../../security/authorization";
import type { Upstreams } from "../../upstream";
import {
  Job,
  JobStats,
  HTTP_CLAIM_WAIT_MS_MAX,
  kindName,
  queueName,
  toHttpJob,
  toHttpStats,
  WATCH_MAX_MS,
  type HttpJob,
} from "./shapes";
import { createJobRequest, JobList, newJobBody, RetryResults, type RetryOutcome } from "./schemas";
import { jobsWorkerRoutes } from "./workerRoutes";

export { HTTP_CLAIM_WAIT_MS_MAX, Job, kindName, queueName, toHttpJob, toHttpStats, WATCH_MAX_MS, type HttpJob };

export const jobsModule = (config: TokenConfig, upstreams: Pick<Upstreams, "jobs">) =>
  new Elysia({ name: "jobs", prefix: "/jobs" })
    .use(withRequestId)
    .use(auth(config))
    .use(jobsWorkerRoutes(config, upstreams))
    .guard(moduleDoc("jobs", { bearer: true }))
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
        response: responses({ 200: Job, 201: Job }, ...BODY, ...AUTH, ...UPSTREAM),
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
        response: responses({ 201: JobList }, ...BODY, ...AUTH, ...UPSTREAM),
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
            outcome: enumName(r.outcome, "RETRY_OUTCOME_").toLowerCase() as RetryOutcome,
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
        response: responses({ 200: RetryResults }, ...BODY, ...AUTH, ...UPSTREAM),
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
    .get(
      "/stats",
      async ({ principal, requestId }) =>
        toHttpStats(await upstreams.jobs.call("GetJobStats", { owner: ownerScope(principal) }, { requestId })),
      { response: responses({ 200: JobStats }, ...AUTH, ...UPSTREAM) },
    )
    .get(
      "/:id",
      async ({ params, principal, requestId }) =>
        toHttpJob(await upstreams.jobs.call("GetJob", ownedById(principal, params.id), { requestId })),
      { params: idParams, response: responses({ 200: Job }, ...AUTH, ...BY_ID, ...UPSTREAM) },
    )
    .get(
      "/",
      async ({ query, principal, requestId }) => {
        const page = await upstreams.jobs.call(
          "ListJobs",
          {
            page_size: pageSizeOf(query),
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
        response: responses({ 200: PageOf(Job) }, ...AUTH, 422, ...UPSTREAM),
      },
    )
    .post(
      "/:id/cancel",
      async ({ params, principal, requestId }) =>
        toHttpJob(await upstreams.jobs.call("CancelJob", ownedById(principal, params.id), { requestId })),
      { params: idParams, response: responses({ 200: Job }, ...AUTH, ...BY_ID, 409, ...UPSTREAM) },
    )
    .post(
      "/:id/retry",
      async ({ params, principal, requestId }) =>
        toHttpJob(await upstreams.jobs.call("RetryJob", ownedById(principal, params.id), { requestId })),
      {
        params: idParams,
        response: responses({ 200: Job }, ...AUTH, ...BY_ID, 409, ...UPSTREAM),
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
        const id = pathId(params.id);
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
      {
        params: idParams,
        response: responses(
          { 200: eventStream(Job, "The job now and after every change.") },
          ...AUTH,
          ...BY_ID,
          ...UPSTREAM,
        ),
      },
    );
