// /pipelines: create, read and list pipelines through the pipelines service.
import type { Pipeline__Output } from "@platform/proto";
import { Elysia, t } from "elysia";
import { created, enumName, idParams, pageQuery, pathId, rfc3339, type Page } from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import type { Upstreams } from "../../upstream";

export function toHttpPipeline(pipeline: Pipeline__Output) {
  return {
    id: Number(pipeline.id),
    pipeline_name: pipeline.pipeline_name,
    status: enumName(pipeline.status, "PIPELINE_STATUS_"),
    created_at: rfc3339(pipeline.created_at),
    updated_at: rfc3339(pipeline.updated_at),
  };
}
export type HttpPipeline = ReturnType<typeof toHttpPipeline>;

export const pipelinesModule = (config: TokenConfig, upstreams: Pick<Upstreams, "pipelines">) =>
  new Elysia({ name: "pipelines", prefix: "/pipelines" })
    .use(withRequestId)
    .use(auth(config))
    .post(
      "/",
      async ({ body, requestId, set }) => {
        const pipeline = await upstreams.pipelines.call("CreatePipeline", { pipeline_name: body.pipeline_name }, { requestId });
        return created(set, `/pipelines/${pipeline.id}`, toHttpPipeline(pipeline));
      },
      { body: t.Object({ pipeline_name: t.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) },
    )
    .get(
      "/:id",
      async ({ params, requestId }) =>
        toHttpPipeline(await upstreams.pipelines.call("GetPipeline", { id: String(pathId(params.id)) }, { requestId })),
      { params: idParams },
    )
    .get(
      "/",
      async ({ query, requestId }): Promise<Page<HttpPipeline>> => {
        const page = await upstreams.pipelines.call(
          "ListPipelines",
          { page_size: query.page_size ?? 0, page_token: query.page_token ?? "" },
          { requestId },
        );
        return { items: page.pipelines.map(toHttpPipeline), next_page_token: page.next_page_token };
      },
      { query: pageQuery },
    );
