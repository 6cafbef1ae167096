// /pipelines: create (optionally with a DAG of steps and parameters), read, list, cancel,
// watch (server-sent events), retry and re-run pipelines through the pipelines service. Users
// reach their own pipelines, admins everyone's (ownerScope); workers none.
import type { Pipeline__Output } from "@platform/proto";
import { PIPELINE_STATUSES, PipelineStatuses, StepStatuses } from "@platform/proto/enums";
import { KIND_MESSAGE, KIND_PATTERN, MAX_STEPS, NAME_MAX_LENGTH, STEP_NAME_MAX_LENGTH } from "@platform/proto/rules";
import { Elysia, t } from "elysia";
import { createdOrReplayed, createIdempotently, idempotencyDoc, idempotencyKeyOf } from "../../http/idempotency";
import { enumName, idParams, pageQuery, pathId, rfc3339, type Page } from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { newOwner, ownerScope } from "../../security/authorization";
import type { Upstreams } from "../../upstream";
import { pipelineEventsResponse } from "./events";

export function toHttpPipeline(pipeline: Pipeline__Output) {
  return {
    id: Number(pipeline.id),
    pipeline_name: pipeline.pipeline_name,
    status: enumName(pipeline.status, PipelineStatuses.prefix),
    created_at: rfc3339(pipeline.created_at),
    updated_at: rfc3339(pipeline.updated_at),
    steps: pipeline.steps.map((step) => ({
      name: step.name,
      kind: step.kind,
      payload: step.payload === "" ? null : (JSON.parse(step.payload) as unknown),
      depends_on: step.depends_on,
      status: enumName(step.status, StepStatuses.prefix),
      job_id: step.job_id === "0" ? null : Number(step.job_id),
      error: step.error || null,
    })),
    owner: pipeline.owner,
    parameters: (pipeline.parameters === "" ? {} : JSON.parse(pipeline.parameters)) as Record<string, unknown>,
    retries: pipeline.retries,
    rerun_of: pipeline.rerun_of === "0" ? null : Number(pipeline.rerun_of),
  };
}
export type HttpPipeline = ReturnType<typeof toHttpPipeline>;

// The rules are the pipelines service's (@platform/proto/rules): the same numbers and messages, so they show in the OpenAPI document.
const step = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: STEP_NAME_MAX_LENGTH }),
    kind: t.String({ pattern: KIND_PATTERN, error: KIND_MESSAGE }),
    payload: t.Optional(t.Unknown()),
    depends_on: t.Optional(
      t.Array(t.String({ minLength: 1, maxLength: STEP_NAME_MAX_LENGTH }), { maxItems: MAX_STEPS }),
    ),
  },
  { additionalProperties: false },
);

/** A JSON object; the service checks its size (like a job payload's) and that it is one. */
const parameters = t.Record(t.String(), t.Unknown(), { error: "must be a JSON object" });
const parametersText = (value: Record<string, unknown> | undefined) =>
  value === undefined ? "" : JSON.stringify(value);

export const pipelinesModule = (config: TokenConfig, upstreams: Pick<Upstreams, "pipelines">) =>
  new Elysia({ name: "pipelines", prefix: "/pipelines" })
    .use(withRequestId)
    .use(auth(config))
    .post(
      "/",
      async ({ body, headers, principal, requestId, set }) => {
        const owner = newOwner(principal);
        const idempotencyKey = idempotencyKeyOf(headers);
        const steps = (body.steps ?? []).map((s) => ({
          name: s.name,
          kind: s.kind,
          payload: s.payload === undefined ? "" : JSON.stringify(s.payload),
          depends_on: s.depends_on ?? [],
        }));
        const pipeline = await createIdempotently(() =>
          upstreams.pipelines.call(
            "CreatePipeline",
            {
              pipeline_name: body.pipeline_name,
              steps,
              owner,
              idempotency_key: idempotencyKey,
              parameters: parametersText(body.parameters),
            },
            { requestId },
          ),
        );
        return createdOrReplayed(
          set,
          pipeline.idempotent_replay,
          `/pipelines/${pipeline.id}`,
          toHttpPipeline(pipeline),
        );
      },
      {
        detail: {
          summary: "Create a pipeline",
          description:
            "201 with the pipeline and its Location; its first steps are submitted as jobs. With an " +
            "Idempotency-Key header, a repeat of the same request returns the pipeline created first (200, " +
            "Idempotent-Replayed: true) instead of another one. `parameters` (a JSON object) is what step " +
            "payloads reference as `{{ params.<path> }}`; `{{ steps.<step>.result.<path> }}` references a result " +
            "of a step it depends on (docs/jobs.md).",
          ...idempotencyDoc,
        },
        body: t.Object(
          {
            pipeline_name: t.String({ minLength: 1, maxLength: NAME_MAX_LENGTH }),
            steps: t.Optional(t.Array(step, { maxItems: MAX_STEPS })),
            parameters: t.Optional(parameters),
          },
          { additionalProperties: false },
        ),
      },
    )
    .get(
      "/:id",
      async ({ params, principal, requestId }) =>
        toHttpPipeline(
          await upstreams.pipelines.call(
            "GetPipeline",
            { id: String(pathId(params.id)), owner: ownerScope(principal) },
            { requestId },
          ),
        ),
      { params: idParams },
    )
    .get(
      "/:id/watch",
      ({ params, principal, requestId, set, request, server }) =>
        pipelineEventsResponse(upstreams, {
          id: params.id,
          principal,
          requestId,
          headers: set.headers as Record<string, string>,
          request,
          server,
        }),
      {
        params: idParams,
        detail: {
          summary: "Watch a pipeline",
          description:
            "Server-sent events: the pipeline now and after every change (its steps following their jobs), " +
            "ending once the pipeline and all its steps are final; an `error` event if it could not be followed.",
        },
      },
    )
    .post(
      "/:id/cancel",
      async ({ params, principal, requestId }) =>
        toHttpPipeline(
          await upstreams.pipelines.call(
            "CancelPipeline",
            { id: String(pathId(params.id)), owner: ownerScope(principal) },
            { requestId },
          ),
        ),
      { params: idParams },
    )
    .post(
      "/:id/retry",
      async ({ params, principal, requestId }) =>
        toHttpPipeline(
          await upstreams.pipelines.call(
            "RetryPipeline",
            { id: String(pathId(params.id)), owner: ownerScope(principal) },
            { requestId },
          ),
        ),
      {
        params: idParams,
        detail: {
          summary: "Retry a failed pipeline from where it stopped",
          description:
            "A FAILED or CANCELLED pipeline (once its steps have stopped) goes back to RUNNING: its failed, " +
            "cancelled and skipped steps start over with new jobs as their dependencies allow; succeeded steps " +
            "and their results are kept. Any other state is 409; another owner's pipeline is 404.",
        },
      },
    )
    .post(
      "/:id/rerun",
      async ({ params, body, headers, principal, requestId, set }) => {
        const pipeline = await createIdempotently(() =>
          upstreams.pipelines.call(
            "RerunPipeline",
            {
              id: String(pathId(params.id)),
              owner: ownerScope(principal),
              new_owner: newOwner(principal),
              parameters: parametersText(body?.parameters),
              idempotency_key: idempotencyKeyOf(headers),
            },
            { requestId },
          ),
        );
        return createdOrReplayed(
          set,
          pipeline.idempotent_replay,
          `/pipelines/${pipeline.id}`,
          toHttpPipeline(pipeline),
        );
      },
      {
        params: idParams,
        body: t.Optional(t.Object({ parameters: t.Optional(parameters) }, { additionalProperties: false })),
        detail: {
          summary: "Re-run a pipeline",
          description:
            "201 with a new pipeline (and its Location) with the same name, steps and parameters as this one, " +
            "in any state; `parameters` in the body replace those keys of the copied parameters. The new " +
            "pipeline is the caller's, and records `rerun_of`. Another owner's pipeline is 404. Idempotency-Key " +
            "works as on POST /pipelines/.",
          ...idempotencyDoc,
        },
      },
    )
    .get(
      "/",
      async ({ query, principal, requestId }): Promise<Page<HttpPipeline>> => {
        const page = await upstreams.pipelines.call(
          "ListPipelines",
          {
            owner: ownerScope(principal),
            page_size: query.page_size ?? 0,
            page_token: query.page_token ?? "",
            status: PipelineStatuses.is(query.status)
              ? PipelineStatuses.toWire(query.status)
              : PipelineStatuses.unspecified,
          },
          { requestId },
        );
        return { items: page.pipelines.map(toHttpPipeline), next_page_token: page.next_page_token };
      },
      {
        query: t.Object({
          ...pageQuery.properties,
          // A pattern, not t.UnionEnum: Elysia fills an absent optional enum with its first member.
          status: t.Optional(
            t.String({
              pattern: `^(?:${PIPELINE_STATUSES.join("|")})$`,
              error: `must be one of ${PIPELINE_STATUSES.join(", ")}`,
            }),
          ),
        }),
      },
    );
