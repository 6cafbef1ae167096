import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { CreateJobRequest as _jobs_v1_CreateJobRequest, CreateJobRequest__Output as _jobs_v1_CreateJobRequest__Output } from './jobs/v1/CreateJobRequest';
import type { GetJobRequest as _jobs_v1_GetJobRequest, GetJobRequest__Output as _jobs_v1_GetJobRequest__Output } from './jobs/v1/GetJobRequest';
import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from './jobs/v1/Job';
import type { JobsServiceClient as _jobs_v1_JobsServiceClient, JobsServiceDefinition as _jobs_v1_JobsServiceDefinition } from './jobs/v1/JobsService';
import type { ListJobsRequest as _jobs_v1_ListJobsRequest, ListJobsRequest__Output as _jobs_v1_ListJobsRequest__Output } from './jobs/v1/ListJobsRequest';
import type { ListJobsResponse as _jobs_v1_ListJobsResponse, ListJobsResponse__Output as _jobs_v1_ListJobsResponse__Output } from './jobs/v1/ListJobsResponse';

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
      CreateJobRequest: MessageTypeDefinition<_jobs_v1_CreateJobRequest, _jobs_v1_CreateJobRequest__Output>
      GetJobRequest: MessageTypeDefinition<_jobs_v1_GetJobRequest, _jobs_v1_GetJobRequest__Output>
      Job: MessageTypeDefinition<_jobs_v1_Job, _jobs_v1_Job__Output>
      JobStatus: EnumTypeDefinition
      /**
       * Jobs owns units of work and their lifecycle.
       */
      JobsService: SubtypeConstructor<typeof grpc.Client, _jobs_v1_JobsServiceClient> & { service: _jobs_v1_JobsServiceDefinition }
      ListJobsRequest: MessageTypeDefinition<_jobs_v1_ListJobsRequest, _jobs_v1_ListJobsRequest__Output>
      ListJobsResponse: MessageTypeDefinition<_jobs_v1_ListJobsResponse, _jobs_v1_ListJobsResponse__Output>
    }
  }
}

