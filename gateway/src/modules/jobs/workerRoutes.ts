// The worker protocol under /jobs: claim (one job, or up to max_jobs), heartbeat,
// complete and fail, one job at a time or many completions at once (POST /jobs/complete).
// Only workers may call them (requireWorker); the lease token from a claim authorises the rest.
import {
  JOB_ERROR_MAX_LENGTH,
  MAX_CLAIM_JOBS,
  MAX_CLAIM_KINDS,
  MAX_CLAIM_QUEUES,
  MAX_COMPLETE_JOBS,
} from "@platform/proto/rules";
import { Elysia, t } from "elysia";
import { AUTH, BODY, moduleDoc, NoContent, responses, UPSTREAM } from "../../http/responses";
import { bodyId, enumName, idParams, int, pathId } from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { requireWorker } from "../../security/authorization";
import type { ClaimedJob__Output } from "@platform/proto";
import type { Upstreams } from "../../upstream";
import { ClaimedJob, ClaimedJobs, CompleteResults, type CompleteOutcome } from "./schemas";
import { claimWaitMs, Job, kindName, leaseSeconds, leaseToken, queueName, toHttpJob, workerId } from "./shapes";

/** What a claim names, in POST /jobs/claim and in POST /jobs/complete's then_claim. */
const claimFields = {
  worker_id: workerId,
  lease_seconds: leaseSeconds,
  kinds: t.Optional(t.Array(kindName, { maxItems: MAX_CLAIM_KINDS })),
  queues: t.Optional(t.Array(queueName, { maxItems: MAX_CLAIM_QUEUES })),
};
const maxJobs = (description: string) =>
  t.Optional(
    int({ minimum: 1, maximum: MAX_CLAIM_JOBS, error: `must be between 1 and ${MAX_CLAIM_JOBS}`, description }),
  );
/** A claim's body, as validated by claimFields and maxJobs. */
interface ClaimBody {
  worker_id: string;
  lease_seconds?: number;
  kinds?: string[];
  queues?: string[];
  max_jobs?: number;
}

/** The ClaimJob request for a claim's body (absent fields: the service's defaults). */
const claimRequest = (claim: ClaimBody, waitMs: number) => ({
  worker_id: claim.worker_id,
  lease_seconds: claim.lease_seconds ?? 0,
  kinds: claim.kinds ?? [],
  queues: claim.queues ?? [],
  wait_ms: waitMs,
  max_jobs: claim.max_jobs ?? 0,
});

/** Leased jobs as the HTTP API shows them: each job with its own lease_token. */
const withLeaseTokens = (claimed: readonly ClaimedJob__Output[]) =>
  claimed.flatMap((c) => (c.job ? [{ ...toHttpJob(c.job), lease_token: c.lease_token }] : []));

/** Mounted inside jobsModule, so its paths are under /jobs. */
export const jobsWorkerRoutes = (config: TokenConfig, upstreams: Pick<Upstreams, "jobs">) =>
  new Elysia({ name: "jobs-worker" })
    .use(withRequestId)
    .use(auth(config))
    .guard(moduleDoc("jobs", { bearer: true }))
    .post(
      "/claim",
      async ({ body, principal, request, requestId, status }) => {
        requireWorker(principal);
        const waitMs = body.wait_ms ?? 0;
        const { job, lease_token, claimed } = await upstreams.jobs.call(
          "ClaimJob",
          claimRequest(body, waitMs),
          // The wait comes on top of the upstream timeout; a client that goes away ends the wait, leasing nothing.
          { requestId, extraMs: waitMs, signal: request.signal },
        );
        // With max_jobs: always a list (200, empty when none was ready); without it, the single job or 204.
        if (body.max_jobs !== undefined) return { items: withLeaseTokens(claimed) };
        if (!job) return status(204, undefined);
        // The one response that carries the token: it is never part of the job itself.
        return { ...toHttpJob(job), lease_token };
      },
      {
        body: t.Object(
          {
            ...claimFields,
            wait_ms: claimWaitMs,
            max_jobs: maxJobs(
              "Lease up to this many ready jobs, each with its own lease_token: the answer is then " +
                "always `{items: [...]}` (200, empty when none was ready). Absent: one job, or 204.",
            ),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: t.Union([ClaimedJob, ClaimedJobs]), 204: NoContent }, ...BODY, ...AUTH, ...UPSTREAM),
        detail: {
          summary: "Claim a job (or up to max_jobs)",
          description:
            "Leases the highest-priority, oldest ready job of the given kinds and queues: 200 with the job and its " +
            "lease_token, or 204 when none is ready (after wait_ms, a long poll). With max_jobs, 200 with " +
            "`{items: [...]}`, each job with its own lease_token.",
        },
      },
    )
    .post(
      "/complete",
      async ({ body, principal, requestId }) => {
        requireWorker(principal);
        const next = body.then_claim;
        const { results, claimed } = await upstreams.jobs.call(
          "CompleteJobs",
          {
            items: body.items.map((item) => ({
              job_id: item.job_id,
              lease_token: item.lease_token,
              failed: item.error !== undefined,
              result: item.result === undefined ? "" : JSON.stringify(item.result),
              error: item.error ?? "",
            })),
            then_claim: next && claimRequest(next, 0),
          },
          { requestId },
        );
        return {
          results: results.map((r) => ({
            job_id: Number(r.job_id),
            outcome: enumName(r.outcome, "COMPLETE_OUTCOME_").toLowerCase() as CompleteOutcome,
            ...(r.job ? { job: toHttpJob(r.job) } : {}),
            ...(r.message ? { detail: r.message } : {}),
          })),
          ...(next ? { claimed: withLeaseTokens(claimed) } : {}),
        };
      },
      {
        body: t.Object(
          {
            items: t.Array(
              t.Object(
                {
                  job_id: bodyId(),
                  lease_token: leaseToken,
                  result: t.Optional(t.Unknown({ description: "The job's result (any JSON) when it succeeded." })),
                  error: t.Optional(
                    t.String({
                      maxLength: JOB_ERROR_MAX_LENGTH,
                      description: "Present: the attempt failed with this message (retried while attempts remain).",
                    }),
                  ),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: MAX_COMPLETE_JOBS },
            ),
            then_claim: t.Optional(
              t.Object(
                { ...claimFields, max_jobs: maxJobs("Lease up to this many ready jobs (1 by default).") },
                {
                  additionalProperties: false,
                  description:
                    "Beside recording the items, lease the next ready jobs as POST /jobs/claim would (never " +
                    "waiting): they come back in `claimed`, each with its own lease_token. A job an item puts " +
                    "back for a retry is not among them; when recording fails, so does the call, and they are released.",
                },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: CompleteResults }, ...BODY, ...AUTH, ...UPSTREAM),
        detail: {
          summary: "Complete or fail many leased jobs",
          description:
            `Acknowledges up to ${MAX_COMPLETE_JOBS} leased jobs in one call, as POST /jobs/{id}/complete (item ` +
            "with an optional result) or /fail (item with an error) would. A malformed item rejects the whole call " +
            "(422 naming items.<i>.<field>, nothing recorded); otherwise 200 with one result per item, in order: " +
            "`recorded` (with the job now), `stale_lease` (the lease ended or the job was leased again; with the " +
            "job), `wrong_lease` or `not_found`. One bad lease never stops the others. With then_claim, the " +
            "response's `claimed` holds the jobs leased next (empty when none was ready).",
        },
      },
    )
    .post(
      "/:id/heartbeat",
      async ({ params, body, principal, requestId }) => {
        requireWorker(principal);
        return toHttpJob(
          await upstreams.jobs.call(
            "Heartbeat",
            {
              job_id: pathId(params.id),
              lease_token: body.lease_token,
              lease_seconds: body.lease_seconds ?? 0,
            },
            { requestId },
          ),
        );
      },
      {
        params: idParams,
        response: responses({ 200: Job }, ...BODY, ...AUTH, 404, 409, ...UPSTREAM),
        body: t.Object({ lease_token: leaseToken, lease_seconds: leaseSeconds }, { additionalProperties: false }),
      },
    )
    .post(
      "/:id/complete",
      async ({ params, body, principal, requestId }) => {
        requireWorker(principal);
        return toHttpJob(
          await upstreams.jobs.call(
            "CompleteJob",
            {
              job_id: pathId(params.id),
              lease_token: body.lease_token,
              result: body.result === undefined ? "" : JSON.stringify(body.result),
            },
            { requestId },
          ),
        );
      },
      {
        params: idParams,
        response: responses({ 200: Job }, ...BODY, ...AUTH, 404, 409, ...UPSTREAM),
        body: t.Object({ lease_token: leaseToken, result: t.Optional(t.Unknown()) }, { additionalProperties: false }),
      },
    )
    .post(
      "/:id/fail",
      async ({ params, body, principal, requestId }) => {
        requireWorker(principal);
        return toHttpJob(
          await upstreams.jobs.call(
            "FailJob",
            { job_id: pathId(params.id), lease_token: body.lease_token, error: body.error },
            { requestId },
          ),
        );
      },
      {
        params: idParams,
        response: responses({ 200: Job }, ...BODY, ...AUTH, 404, 409, ...UPSTREAM),
        body: t.Object(
          { lease_token: leaseToken, error: t.String({ maxLength: JOB_ERROR_MAX_LENGTH }) },
          { additionalProperties: false },
        ),
      },
    );
