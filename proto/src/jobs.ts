// `@platform/proto/jobs`: the jobs contract alone (jobs.proto and the
// schedules.proto it imports), for a process that speaks only to the jobs
// service, such as a worker: it does not load the users and pipelines contracts.
// Same options as the whole package (loader.ts); everyone else imports the index.
import { SERVICE_NAMES } from "./files";
import type { ProtoGrpcType as JobsProto } from "./generated/jobs";
import { loadContracts } from "./loader";

export const jobs = loadContracts<JobsProto>(["jobs.proto"]).loaded.jobs.v1;

export { SERVICE_NAMES };

export type { Job, Job__Output } from "./generated/jobs/v1/Job";
export type { ClaimedJob__Output } from "./generated/jobs/v1/ClaimedJob";
export type { CompleteJobsResponse, CompleteJobsResponse__Output } from "./generated/jobs/v1/CompleteJobsResponse";
export type { JobsServiceClient } from "./generated/jobs/v1/JobsService";
