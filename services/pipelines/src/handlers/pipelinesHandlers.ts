// The PipelinesService methods: wire types in, domain calls, wire types out.
import { NotFoundError, parseId, parsePageRequest, toPage, toTimestamp, unary, type Logger } from "@platform/kit";
import type { PipelinesServiceHandlers, Pipeline as WirePipeline } from "@platform/proto";
import { validateNewPipeline, type Pipeline } from "../domain/pipeline";
import type { PipelineRepository } from "../store/pipelineRepository";

export function toWirePipeline(pipeline: Pipeline): WirePipeline {
  return {
    id: String(pipeline.id),
    pipeline_name: pipeline.name,
    status: `PIPELINE_STATUS_${pipeline.status}`,
    created_at: toTimestamp(pipeline.createdAt),
    updated_at: toTimestamp(pipeline.updatedAt),
  };
}

export function pipelinesHandlers(repository: PipelineRepository, logger: Logger): PipelinesServiceHandlers {
  return {
    CreatePipeline: unary("CreatePipeline", logger, async (request, ctx) => {
      const pipeline = await repository.create(validateNewPipeline({ name: request.pipeline_name }));
      ctx.logger.info({ pipelineId: pipeline.id }, "pipeline created");
      return toWirePipeline(pipeline);
    }),

    GetPipeline: unary("GetPipeline", logger, async (request) => {
      const id = parseId("id", request.id);
      const pipeline = await repository.get(id);
      if (!pipeline) throw new NotFoundError(`pipeline ${id} not found`);
      return toWirePipeline(pipeline);
    }),

    ListPipelines: unary("ListPipelines", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(await repository.listAfter(page), page.limit);
      return { pipelines: items.map(toWirePipeline), next_page_token: nextPageToken };
    }),
  };
}
