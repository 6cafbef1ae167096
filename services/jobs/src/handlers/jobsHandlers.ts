// The JobsService methods: wire types in, domain calls, wire types out.
import { NotFoundError, parseId, parsePageRequest, toPage, toTimestamp, unary, type Logger } from "@platform/kit";
import type { JobsServiceHandlers, Job as WireJob } from "@platform/proto";
import { validateNewJob, type Job } from "../domain/job";
import type { JobRepository } from "../store/jobRepository";

export function toWireJob(job: Job): WireJob {
  return {
    id: String(job.id),
    job_name: job.name,
    status: `JOB_STATUS_${job.status}`,
    created_at: toTimestamp(job.createdAt),
    updated_at: toTimestamp(job.updatedAt),
  };
}

export function jobsHandlers(repository: JobRepository, logger: Logger): JobsServiceHandlers {
  return {
    CreateJob: unary("CreateJob", logger, async (request, ctx) => {
      const job = await repository.create(validateNewJob({ name: request.job_name }));
      ctx.logger.info({ jobId: job.id }, "job created");
      return toWireJob(job);
    }),

    GetJob: unary("GetJob", logger, async (request) => {
      const id = parseId("id", request.id);
      const job = await repository.get(id);
      if (!job) throw new NotFoundError(`job ${id} not found`);
      return toWireJob(job);
    }),

    ListJobs: unary("ListJobs", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(await repository.listAfter(page), page.limit);
      return { jobs: items.map(toWireJob), next_page_token: nextPageToken };
    }),
  };
}
