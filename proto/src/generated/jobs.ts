import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Backoff as _jobs_v1_Backoff, Backoff__Output as _jobs_v1_Backoff__Output } from './jobs/v1/Backoff';
import type { CancelJobRequest as _jobs_v1_CancelJobRequest, CancelJobRequest__Output as _jobs_v1_CancelJobRequest__Output } from './jobs/v1/CancelJobRequest';
import type { ClaimJobRequest as _jobs_v1_ClaimJobRequest, ClaimJobRequest__Output as _jobs_v1_ClaimJobRequest__Output } from './jobs/v1/ClaimJobRequest';
import type { ClaimJobResponse as _jobs_v1_ClaimJobResponse, ClaimJobResponse__Output as _jobs_v1_ClaimJobResponse__Output } from './jobs/v1/ClaimJobResponse';
import type { ClaimedJob as _jobs_v1_ClaimedJob, ClaimedJob__Output as _jobs_v1_ClaimedJob__Output } from './jobs/v1/ClaimedJob';
import type { CompleteJobRequest as _jobs_v1_CompleteJobRequest, CompleteJobRequest__Output as _jobs_v1_CompleteJobRequest__Output } from './jobs/v1/CompleteJobRequest';
import type { CompleteJobsItem as _jobs_v1_CompleteJobsItem, CompleteJobsItem__Output as _jobs_v1_CompleteJobsItem__Output } from './jobs/v1/CompleteJobsItem';
import type { CompleteJobsRequest as _jobs_v1_CompleteJobsRequest, CompleteJobsRequest__Output as _jobs_v1_CompleteJobsRequest__Output } from './jobs/v1/CompleteJobsRequest';
import type { CompleteJobsResponse as _jobs_v1_CompleteJobsResponse, CompleteJobsResponse__Output as _jobs_v1_CompleteJobsResponse__Output } from './jobs/v1/CompleteJobsResponse';
import type { CompleteJobsResult as _jobs_v1_CompleteJobsResult, CompleteJobsResult__Output as _jobs_v1_CompleteJobsResult__Output } from './jobs/v1/CompleteJobsResult';
import type { CreateJobRequest as _jobs_v1_CreateJobRequest, CreateJobRequest__Output as _jobs_v1_CreateJobRequest__Output } from './jobs/v1/CreateJobRequest';
import type { CreateJobsRequest as _jobs_v1_CreateJobsRequest, CreateJobsRequest__Output as _jobs_v1_CreateJobsRequest__Output } from './jobs/v1/CreateJobsRequest';
import type { CreateJobsResponse as _jobs_v1_CreateJobsResponse, CreateJobsResponse__Output as _jobs_v1_CreateJobsResponse__Output } from './jobs/v1/CreateJobsResponse';
import type { CreateScheduleRequest as _jobs_v1_CreateScheduleRequest, CreateScheduleRequest__Output as _jobs_v1_CreateScheduleRequest__Output } from './jobs/v1/CreateScheduleRequest';
import type { DeleteScheduleRequest as _jobs_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _jobs_v1_DeleteScheduleRequest__Output } from './jobs/v1/DeleteScheduleRequest';
import type { FailJobRequest as _jobs_v1_FailJobRequest, FailJobRequest__Output as _jobs_v1_FailJobRequest__Output } from './jobs/v1/FailJobRequest';
import type { GetJobRequest as _jobs_v1_GetJobRequest, GetJobRequest__Output as _jobs_v1_GetJobRequest__Output } from './jobs/v1/GetJobRequest';
import type { GetJobStatsRequest as _jobs_v1_GetJobStatsRequest, GetJobStatsRequest__Output as _jobs_v1_GetJobStatsRequest__Output } from './jobs/v1/GetJobStatsRequest';
import type { GetScheduleRequest as _jobs_v1_GetScheduleRequest, GetScheduleRequest__Output as _jobs_v1_GetScheduleRequest__Output } from './jobs/v1/GetScheduleRequest';
import type { HeartbeatRequest as _jobs_v1_HeartbeatRequest, HeartbeatRequest__Output as _jobs_v1_HeartbeatRequest__Output } from './jobs/v1/HeartbeatRequest';
import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from './jobs/v1/Job';
import type { JobStats as _jobs_v1_JobStats, JobStats__Output as _jobs_v1_JobStats__Output } from './jobs/v1/JobStats';
import type { JobTemplate as _jobs_v1_JobTemplate, JobTemplate__Output as _jobs_v1_JobTemplate__Output } from './jobs/v1/JobTemplate';
import type { JobsServiceClient as _jobs_v1_JobsServiceClient, JobsServiceDefinition as _jobs_v1_JobsServiceDefinition } from './jobs/v1/JobsService';
import type { KindStats as _jobs_v1_KindStats, KindStats__Output as _jobs_v1_KindStats__Output } from './jobs/v1/KindStats';
import type { ListJobsRequest as _jobs_v1_ListJobsRequest, ListJobsRequest__Output as _jobs_v1_ListJobsRequest__Output } from './jobs/v1/ListJobsRequest';
import type { ListJobsResponse as _jobs_v1_ListJobsResponse, ListJobsResponse__Output as _jobs_v1_ListJobsResponse__Output } from './jobs/v1/ListJobsResponse';
import type { ListSchedulesRequest as _jobs_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _jobs_v1_ListSchedulesRequest__Output } from './jobs/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _jobs_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _jobs_v1_ListSchedulesResponse__Output } from './jobs/v1/ListSchedulesResponse';
import type { PauseScheduleRequest as _jobs_v1_PauseScheduleRequest, PauseScheduleRequest__Output as _jobs_v1_PauseScheduleRequest__Output } from './jobs/v1/PauseScheduleRequest';
import type { ResumeScheduleRequest as _jobs_v1_ResumeScheduleRequest, ResumeScheduleRequest__Output as _jobs_v1_ResumeScheduleRequest__Output } from './jobs/v1/ResumeScheduleRequest';
import type { RetryJobRequest as _jobs_v1_RetryJobRequest, RetryJobRequest__Output as _jobs_v1_RetryJobRequest__Output } from './jobs/v1/RetryJobRequest';
import type { RetryJobsRequest as _jobs_v1_RetryJobsRequest, RetryJobsRequest__Output as _jobs_v1_RetryJobsRequest__Output } from './jobs/v1/RetryJobsRequest';
import type { RetryJobsResponse as _jobs_v1_RetryJobsResponse, RetryJobsResponse__Output as _jobs_v1_RetryJobsResponse__Output } from './jobs/v1/RetryJobsResponse';
import type { RetryJobsResult as _jobs_v1_RetryJobsResult, RetryJobsResult__Output as _jobs_v1_RetryJobsResult__Output } from './jobs/v1/RetryJobsResult';
import type { Schedule as _jobs_v1_Schedule, Schedule__Output as _jobs_v1_Schedule__Output } from './jobs/v1/Schedule';
import type { WatchJobRequest as _jobs_v1_WatchJobRequest, WatchJobRequest__Output as _jobs_v1_WatchJobRequest__Output } from './jobs/v1/WatchJobRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  jobs: {
    v1: {
      Backoff: MessageTypeDefinition<_jobs_v1_Backoff, _jobs_v1_Backoff__Output>
      CancelJobRequest: MessageTypeDefinition<_jobs_v1_CancelJobRequest, _jobs_v1_CancelJobRequest__Output>
      ClaimJobRequest: MessageTypeDefinition<_jobs_v1_ClaimJobRequest, _jobs_v1_ClaimJobRequest__Output>
      ClaimJobResponse: MessageTypeDefinition<_jobs_v1_ClaimJobResponse, _jobs_v1_ClaimJobResponse__Output>
      ClaimedJob: MessageTypeDefinition<_jobs_v1_ClaimedJob, _jobs_v1_ClaimedJob__Output>
      CompleteJobRequest: MessageTypeDefinition<_jobs_v1_CompleteJobRequest, _jobs_v1_CompleteJobRequest__Output>
      CompleteJobsItem: MessageTypeDefinition<_jobs_v1_CompleteJobsItem, _jobs_v1_CompleteJobsItem__Output>
      CompleteJobsRequest: MessageTypeDefinition<_jobs_v1_CompleteJobsRequest, _jobs_v1_CompleteJobsRequest__Output>
      CompleteJobsResponse: MessageTypeDefinition<_jobs_v1_CompleteJobsResponse, _jobs_v1_CompleteJobsResponse__Output>
      CompleteJobsResult: MessageTypeDefinition<_jobs_v1_CompleteJobsResult, _jobs_v1_CompleteJobsResult__Output>
      CompleteOutcome: EnumTypeDefinition
      CreateJobRequest: MessageTypeDefinition<_jobs_v1_CreateJobRequest, _jobs_v1_CreateJobRequest__Output>
      CreateJobsRequest: MessageTypeDefinition<_jobs_v1_CreateJobsRequest, _jobs_v1_CreateJobsRequest__Output>
      CreateJobsResponse: MessageTypeDefinition<_jobs_v1_CreateJobsResponse, _jobs_v1_CreateJobsResponse__Output>
      CreateScheduleRequest: MessageTypeDefinition<_jobs_v1_CreateScheduleRequest, _jobs_v1_CreateScheduleRequest__Output>
      DeleteScheduleRequest: MessageTypeDefinition<_jobs_v1_DeleteScheduleRequest, _jobs_v1_DeleteScheduleRequest__Output>
      FailJobRequest: MessageTypeDefinition<_jobs_v1_FailJobRequest, _jobs_v1_FailJobRequest__Output>
      GetJobRequest: MessageTypeDefinition<_jobs_v1_GetJobRequest, _jobs_v1_GetJobRequest__Output>
      GetJobStatsRequest: MessageTypeDefinition<_jobs_v1_GetJobStatsRequest, _jobs_v1_GetJobStatsRequest__Output>
      GetScheduleRequest: MessageTypeDefinition<_jobs_v1_GetScheduleRequest, _jobs_v1_GetScheduleRequest__Output>
      HeartbeatRequest: MessageTypeDefinition<_jobs_v1_HeartbeatRequest, _jobs_v1_HeartbeatRequest__Output>
      Job: MessageTypeDefinition<_jobs_v1_Job, _jobs_v1_Job__Output>
      JobStats: MessageTypeDefinition<_jobs_v1_JobStats, _jobs_v1_JobStats__Output>
      JobStatus: EnumTypeDefinition
      JobTemplate: MessageTypeDefinition<_jobs_v1_JobTemplate, _jobs_v1_JobTemplate__Output>
      /**
       * Jobs owns units of work and their lifecycle:
       * PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED. Workers lease jobs
       * (ClaimJob), keep the lease alive (Heartbeat) and finish them (CompleteJob,
       * FailJob). A failure re-queues the job with backoff until max_attempts; a
       * lease that expires counts as a failed attempt. Illegal transitions are
       * FAILED_PRECONDITION.
       * 
       * Ownership: every job records the subject that created it (`owner`). Get,
       * Watch and Cancel take an `owner` condition: empty matches any job (trusted
       * callers, admins); set, a job of another owner is NOT_FOUND, exactly as if it
       * did not exist, so ids of other owners' jobs are not revealed.
       * 
       * The lease token: ClaimJob returns a secret token for that lease (only in
       * ClaimJobResponse, never in Job); the service keeps only its SHA-256 hash.
       * Heartbeat, CompleteJob and FailJob need it: a token of neither the latest
       * lease nor the one before it is PERMISSION_DENIED; the token of the latest
       * lease once it ended, or of the lease before it (the job was re-claimed), is
       * FAILED_PRECONDITION. worker_id is only a label.
       */
      JobsService: SubtypeConstructor<typeof grpc.Client, _jobs_v1_JobsServiceClient> & { service: _jobs_v1_JobsServiceDefinition }
      KindStats: MessageTypeDefinition<_jobs_v1_KindStats, _jobs_v1_KindStats__Output>
      ListJobsRequest: MessageTypeDefinition<_jobs_v1_ListJobsRequest, _jobs_v1_ListJobsRequest__Output>
      ListJobsResponse: MessageTypeDefinition<_jobs_v1_ListJobsResponse, _jobs_v1_ListJobsResponse__Output>
      ListSchedulesRequest: MessageTypeDefinition<_jobs_v1_ListSchedulesRequest, _jobs_v1_ListSchedulesRequest__Output>
      ListSchedulesResponse: MessageTypeDefinition<_jobs_v1_ListSchedulesResponse, _jobs_v1_ListSchedulesResponse__Output>
      PauseScheduleRequest: MessageTypeDefinition<_jobs_v1_PauseScheduleRequest, _jobs_v1_PauseScheduleRequest__Output>
      ResumeScheduleRequest: MessageTypeDefinition<_jobs_v1_ResumeScheduleRequest, _jobs_v1_ResumeScheduleRequest__Output>
      RetryJobRequest: MessageTypeDefinition<_jobs_v1_RetryJobRequest, _jobs_v1_RetryJobRequest__Output>
      RetryJobsRequest: MessageTypeDefinition<_jobs_v1_RetryJobsRequest, _jobs_v1_RetryJobsRequest__Output>
      RetryJobsResponse: MessageTypeDefinition<_jobs_v1_RetryJobsResponse, _jobs_v1_RetryJobsResponse__Output>
      RetryJobsResult: MessageTypeDefinition<_jobs_v1_RetryJobsResult, _jobs_v1_RetryJobsResult__Output>
      RetryOutcome: EnumTypeDefinition
      Schedule: MessageTypeDefinition<_jobs_v1_Schedule, _jobs_v1_Schedule__Output>
      WatchJobRequest: MessageTypeDefinition<_jobs_v1_WatchJobRequest, _jobs_v1_WatchJobRequest__Output>
    }
  }
}

