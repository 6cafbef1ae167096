// The PipelinesService methods: wire types in, a use case call, wire types out.
import { parseId, parsePageRequest, serverStream, toPage, toTimestamp, unary, type Logger } from "@platform/kit";
import {
  PipelineStatuses,
  StepStatuses,
  type PipelinesServiceHandlers,
  type PipelineStatus as WirePipelineStatus,
  type Pipeline as WirePipeline,
} from "@platform/proto";
import type { Pipeline, PipelineStatus } from "../domain/pipeline";
import type { PipelineService } from "../usecases/pipelineService";

export function toWirePipeline(pipeline: Pipeline, idempotentReplay = false): WirePipeline {
  return {
    id: pipeline.id,
    pipeline_name: pipeline.name,
    status: PipelineStatuses.toWire(pipeline.status),
    created_at: toTimestamp(pipeline.createdAt),
    updated_at: toTimestamp(pipeline.updatedAt),
    steps: pipeline.steps.map((step) => ({
      name: step.name,
      kind: step.kind,
      payload: step.payload ?? "",
      depends_on: step.dependsOn,
      status: StepStatuses.toWire(step.status),
      job_id: step.jobId ?? 0,
      error: step.error ?? "",
    })),
    owner: pipeline.owner,
    idempotency_key: pipeline.idempotencyKey ?? "",
    idempotent_replay: idempotentReplay,
    parameters: pipeline.parameters ?? "",
    retries: pipeline.retries,
    rerun_of: pipeline.rerunOf ?? 0,
  };
}

function statusFilter(status: WirePipelineStatus): PipelineStatus | undefined {
  return PipelineStatuses.fromWire(status);
}

export function pipelinesHandlers(service: PipelineService, logger: Logger): PipelinesServiceHandlers {
  return {
    CreatePipeline: unary("CreatePipeline", logger, async (request, ctx) => {
      const input = {
        name: request.pipeline_name,
        steps: request.steps.map((s) => ({
          name: s.name,
          kind: s.kind,
          payload: s.payload === "" ? null : s.payload,
          dependsOn: s.depends_on,
        })),
        owner: request.owner,
        idempotencyKey: request.idempotency_key === "" ? null : request.idempotency_key,
        parameters: request.parameters === "" ? null : request.parameters,
      };
      const { pipeline, replayed } = await service.create(input, ctx);
      if (replayed) ctx.logger.info({ pipelineId: pipeline.id }, "pipeline create replayed");
      return toWirePipeline(pipeline, replayed);
    }),

    GetPipeline: unary("GetPipeline", logger, async (request) =>
      toWirePipeline(await service.get(parseId("id", request.id), request.owner)),
    ),

    ListPipelines: unary("ListPipelines", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(
        await service.list(page, statusFilter(request.status), request.owner),
        page.limit,
      );
      return { pipelines: items.map((p) => toWirePipeline(p)), next_page_token: nextPageToken };
    }),

    CancelPipeline: unary("CancelPipeline", logger, async (request, ctx) =>
      toWirePipeline(await service.cancel(parseId("id", request.id), request.owner, ctx)),
    ),

    RetryPipeline: unary("RetryPipeline", logger, async (request, ctx) =>
      toWirePipeline(await service.retry(parseId("id", request.id), request.owner, ctx)),
    ),

    RerunPipeline: unary("RerunPipeline", logger, async (request, ctx) => {
      const { pipeline, replayed } = await service.rerun(
        parseId("id", request.id),
        request.owner,
        {
          newOwner: request.new_owner,
          parameters: request.parameters === "" ? null : request.parameters,
          idempotencyKey: request.idempotency_key === "" ? null : request.idempotency_key,
        },
        ctx,
      );
      return toWirePipeline(pipeline, replayed);
    }),

    WatchPipeline: serverStream("WatchPipeline", logger, (request, ctx, send) =>
      service.watch(parseId("id", request.id), request.owner, ctx.signal, (pipeline) => send(toWirePipeline(pipeline))),
    ),
  };
}
