// /jobs: create, read and list jobs through the jobs service.
import type { Job__Output } from "@platform/proto";
import { Elysia, t } from "elysia";
import { created, enumName, idParams, pageQuery, pathId, rfc3339, type Page } from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import type { Upstreams } from "../../upstream";

export function toHttpJob(job: Job__Output) {
  return {
    id: Number(job.id),
    job_name: job.job_name,
    status: enumName(job.status, "JOB_STATUS_"),
    created_at: rfc3339(job.created_at),
    updated_at: rfc3339(job.updated_at),
  };
}
export type HttpJob = ReturnType<typeof toHttpJob>;

export const jobsModule = (config: TokenConfig, upstreams: Pick<Upstreams, "jobs">) =>
  new Elysia({ name: "jobs", prefix: "/jobs" })
    .use(withRequestId)
    .use(auth(config))
    .post(
      "/",
      async ({ body, requestId, set }) => {
        const job = await upstreams.jobs.call("CreateJob", { job_name: body.job_name }, { requestId });
        return created(set, `/jobs/${job.id}`, toHttpJob(job));
      },
      { body: t.Object({ job_name: t.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) },
    )
    .get(
      "/:id",
      async ({ params, requestId }) => toHttpJob(await upstreams.jobs.call("GetJob", { id: String(pathId(params.id)) }, { requestId })),
      { params: idParams },
    )
    .get(
      "/",
      async ({ query, requestId }): Promise<Page<HttpJob>> => {
        const page = await upstreams.jobs.call("ListJobs", { page_size: query.page_size ?? 0, page_token: query.page_token ?? "" }, { requestId });
        return { items: page.jobs.map(toHttpJob), next_page_token: page.next_page_token };
      },
      { query: pageQuery },
    );
