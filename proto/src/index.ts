// Loads the contracts once and exports them typed. Everything that speaks gRPC
// in this repository gets its definitions from here.
import { PROTO_FILES, SERVICE_NAMES } from "./files";
import type { ProtoGrpcType as JobsProto } from "./generated/jobs";
import type { ProtoGrpcType as PipelinesProto } from "./generated/pipelines";
import type { ProtoGrpcType as UsersProto } from "./generated/users";
import { loadContracts } from "./loader";

export { LOADER_OPTIONS, PROTO_DIR } from "./loader";

const contracts = loadContracts<UsersProto & JobsProto & PipelinesProto>(PROTO_FILES);

export const packageDefinition = contracts.packageDefinition;

export const users = contracts.loaded.users.v1;
export const jobs = contracts.loaded.jobs.v1;
export const pipelines = contracts.loaded.pipelines.v1;

export { SERVICE_NAMES };

export * from "./enums";
export * from "./rules";

export type { Timestamp__Output as Timestamp } from "./generated/google/protobuf/Timestamp";
export type { CreateUserRequest__Output as CreateUserRequest } from "./generated/users/v1/CreateUserRequest";
export type { GetUserRequest__Output as GetUserRequest } from "./generated/users/v1/GetUserRequest";
export type { ListUsersRequest__Output as ListUsersRequest } from "./generated/users/v1/ListUsersRequest";
export type { ListUsersResponse, ListUsersResponse__Output } from "./generated/users/v1/ListUsersResponse";
export type { User, User__Output } from "./generated/users/v1/User";
export type { Role__Output as Role } from "./generated/users/v1/Role";
export type { VerifyCredentialsRequest__Output as VerifyCredentialsRequest } from "./generated/users/v1/VerifyCredentialsRequest";
export type { AdmitLoginRequest__Output as AdmitLoginRequest } from "./generated/users/v1/AdmitLoginRequest";
export type { AdmitLoginResponse, AdmitLoginResponse__Output } from "./generated/users/v1/AdmitLoginResponse";
export type { RecordLoginResultRequest__Output as RecordLoginResultRequest } from "./generated/users/v1/RecordLoginResultRequest";
export type {
  VerifyCredentialsResponse,
  VerifyCredentialsResponse__Output,
} from "./generated/users/v1/VerifyCredentialsResponse";
export type { UsersServiceClient, UsersServiceHandlers } from "./generated/users/v1/UsersService";
export type { CreateJobRequest__Output as CreateJobRequest } from "./generated/jobs/v1/CreateJobRequest";
export type { GetJobRequest__Output as GetJobRequest } from "./generated/jobs/v1/GetJobRequest";
export type { ListJobsRequest__Output as ListJobsRequest } from "./generated/jobs/v1/ListJobsRequest";
export type { ListJobsResponse, ListJobsResponse__Output } from "./generated/jobs/v1/ListJobsResponse";
export type { Job, Job__Output } from "./generated/jobs/v1/Job";
export type { JobStatus__Output as JobStatus } from "./generated/jobs/v1/JobStatus";
export type { JobsServiceClient, JobsServiceHandlers } from "./generated/jobs/v1/JobsService";
export type { CancelJobRequest__Output as CancelJobRequest } from "./generated/jobs/v1/CancelJobRequest";
export type { ClaimJobRequest__Output as ClaimJobRequest } from "./generated/jobs/v1/ClaimJobRequest";
export type { ClaimJobResponse, ClaimJobResponse__Output } from "./generated/jobs/v1/ClaimJobResponse";
export type { ClaimedJob__Output } from "./generated/jobs/v1/ClaimedJob";
export type { CreateJobsResponse, CreateJobsResponse__Output } from "./generated/jobs/v1/CreateJobsResponse";
export type { CompleteJobRequest__Output as CompleteJobRequest } from "./generated/jobs/v1/CompleteJobRequest";
export type { FailJobRequest__Output as FailJobRequest } from "./generated/jobs/v1/FailJobRequest";
export type { HeartbeatRequest__Output as HeartbeatRequest } from "./generated/jobs/v1/HeartbeatRequest";
export type { WatchJobRequest__Output as WatchJobRequest } from "./generated/jobs/v1/WatchJobRequest";
export type { RetryJobsResponse, RetryJobsResponse__Output } from "./generated/jobs/v1/RetryJobsResponse";
export type { RetryJobsResult__Output } from "./generated/jobs/v1/RetryJobsResult";
export type { CompleteJobsResponse, CompleteJobsResponse__Output } from "./generated/jobs/v1/CompleteJobsResponse";
export type { CompleteJobsItem__Output as CompleteJobsItem } from "./generated/jobs/v1/CompleteJobsItem";
export type { Backoff, Backoff__Output } from "./generated/jobs/v1/Backoff";
export type { JobStats, JobStats__Output } from "./generated/jobs/v1/JobStats";
export type { KindStats, KindStats__Output } from "./generated/jobs/v1/KindStats";
export type { CreatePipelineRequest__Output as CreatePipelineRequest } from "./generated/pipelines/v1/CreatePipelineRequest";
export type { GetPipelineRequest__Output as GetPipelineRequest } from "./generated/pipelines/v1/GetPipelineRequest";
export type { ListPipelinesRequest__Output as ListPipelinesRequest } from "./generated/pipelines/v1/ListPipelinesRequest";
export type {
  ListPipelinesResponse,
  ListPipelinesResponse__Output,
} from "./generated/pipelines/v1/ListPipelinesResponse";
export type { Pipeline, Pipeline__Output } from "./generated/pipelines/v1/Pipeline";
export type { PipelineStatus__Output as PipelineStatus } from "./generated/pipelines/v1/PipelineStatus";
export type { PipelinesServiceClient, PipelinesServiceHandlers } from "./generated/pipelines/v1/PipelinesService";
export type { CancelPipelineRequest__Output as CancelPipelineRequest } from "./generated/pipelines/v1/CancelPipelineRequest";
export type { Step, Step__Output } from "./generated/pipelines/v1/Step";
export type { StepStatus__Output as StepStatus } from "./generated/pipelines/v1/StepStatus";
export type { WatchPipelineRequest__Output as WatchPipelineRequest } from "./generated/pipelines/v1/WatchPipelineRequest";
export type { Schedule, Schedule__Output } from "./generated/jobs/v1/Schedule";
export type { JobTemplate__Output } from "./generated/jobs/v1/JobTemplate";
export type { ListSchedulesResponse, ListSchedulesResponse__Output } from "./generated/jobs/v1/ListSchedulesResponse";
