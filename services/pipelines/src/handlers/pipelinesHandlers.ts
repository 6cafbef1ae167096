// The PipelinesService methods: wire types in, domain calls, wire types out.
import { checkOwner, FailedPreconditionError, NotFoundError, parseId, parsePageRequest, toPage, toTimestamp, unary, Violations, type Logger } from "@platform/kit";
import type { PipelinesServiceHandlers, PipelineStatus as WirePipelineStatus, Pipeline as WirePipeline } from "@platform/proto";
import { checkCancellable, PIPELINE_STATUSES, validateNewPipeline, type Pipeline, type PipelineStatus } from "../domain/pipeline";
import type { Orchestrator } from "../orchestrator";
import type { PipelineRepository } from "../store/pipelineRepository";

/** Cancelling races the orchestrator's saves; past this many lost races, the caller retries. */
const MAX_CANCEL_ATTEMPTS = 10;

export function toWirePipeline(pipeline: Pipeline): WirePipeline {
  return {
    id: String(pipeline.id),
    pipeline_name: pipeline.name,
    status: `PIPELINE_STATUS_${pipeline.status}`,
    created_at: toTimestamp(pipeline.createdAt),
    updated_at: toTimestamp(pipeline.updatedAt),
    steps: pipeline.steps.map((step) => ({
      name: step.name,
      kind: step.kind,
      payload: step.payload ?? "",
      depends_on: step.dependsOn,
      status: `STEP_STATUS_${step.status}`,
      job_id: String(step.jobId ?? 0),
      error: step.error ?? "",
    })),
    owner: pipeline.owner,
  };
}

/** An owner condition: empty (any owner) or a valid owner. */
function ownerCondition(owner: string): string {
  if (owner === "") return "";
  const problems = new Violations();
  checkOwner(problems, "owner", owner);
  problems.throwIfAny();
  return owner;
}

function statusFilter(status: WirePipelineStatus): PipelineStatus | undefined {
  return PIPELINE_STATUSES.find((s) => `PIPELINE_STATUS_${s}` === status);
}

export function pipelinesHandlers(repository: PipelineRepository, orchestrator: Orchestrator, logger: Logger): PipelinesServiceHandlers {
  /** Another owner's pipeline is NOT_FOUND, worded like a missing one, so its id reveals nothing. */
  const load = async (id: number, owner = "") => {
    const pipeline = await repository.get(id);
    if (!pipeline || (owner !== "" && pipeline.owner !== owner)) throw new NotFoundError(`pipeline ${id} not found`);
    return pipeline;
  };

  return {
    CreatePipeline: unary("CreatePipeline", logger, async (request, ctx) => {
      const valid = validateNewPipeline({
        name: request.pipeline_name,
        steps: request.steps.map((s) => ({ name: s.name, kind: s.kind, payload: s.payload === "" ? null : s.payload, dependsOn: s.depends_on })),
        owner: request.owner,
      });
      let pipeline = await repository.create(valid, ctx.requestId, new Date());
      ctx.logger.info({ pipelineId: pipeline.id, steps: pipeline.steps.length }, "pipeline created");
      if (pipeline.steps.length > 0) {
        // Submit the first steps now; if the jobs service is unreachable, the orchestrator retries.
        try {
          pipeline = (await orchestrator.reconcile(pipeline.id, { requestId: ctx.requestId, deadline: ctx.deadline })) ?? pipeline;
        } catch (error) {
          ctx.logger.warn({ pipelineId: pipeline.id, err: error }, "submitting the first steps failed; the orchestrator will retry");
        }
      }
      return toWirePipeline(pipeline);
    }),

    GetPipeline: unary("GetPipeline", logger, async (request) => toWirePipeline(await load(parseId("id", request.id), ownerCondition(request.owner)))),

    ListPipelines: unary("ListPipelines", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const owner = ownerCondition(request.owner);
      const { items, nextPageToken } = toPage(await repository.listAfter(page, statusFilter(request.status), owner || undefined), page.limit);
      return { pipelines: items.map(toWirePipeline), next_page_token: nextPageToken };
    }),

    CancelPipeline: unary("CancelPipeline", logger, async (request, ctx) => {
      const id = parseId("id", request.id);
      const owner = ownerCondition(request.owner);
      // A compare-and-set save, not a lock: if a replica reconciling it saved first,
      // read again (it may have finished meanwhile); that replica's next save is refused.
      for (let attempt = 1; ; attempt++) {
        const pipeline = await load(id, owner);
        checkCancellable(pipeline);
        if (await repository.save({ ...pipeline, status: "CANCELLED", updatedAt: new Date() })) break;
        if (attempt >= MAX_CANCEL_ATTEMPTS) throw new FailedPreconditionError(`pipeline ${id} kept changing while being cancelled; try again`);
      }
      ctx.logger.info({ pipelineId: id }, "pipeline cancelled");
      try {
        await orchestrator.reconcile(id, { requestId: ctx.requestId, deadline: ctx.deadline });
      } catch (error) {
        ctx.logger.warn({ pipelineId: id, err: error }, "cancelling the pipeline's jobs failed; the orchestrator will retry");
      }
      return toWirePipeline(await load(id));
    }),
  };
}
