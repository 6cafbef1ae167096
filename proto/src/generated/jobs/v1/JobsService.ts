// Original file: jobs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateJobRequest as _jobs_v1_CreateJobRequest, CreateJobRequest__Output as _jobs_v1_CreateJobRequest__Output } from '../../jobs/v1/CreateJobRequest';
import type { GetJobRequest as _jobs_v1_GetJobRequest, GetJobRequest__Output as _jobs_v1_GetJobRequest__Output } from '../../jobs/v1/GetJobRequest';
import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';
import type { ListJobsRequest as _jobs_v1_ListJobsRequest, ListJobsRequest__Output as _jobs_v1_ListJobsRequest__Output } from '../../jobs/v1/ListJobsRequest';
import type { ListJobsResponse as _jobs_v1_ListJobsResponse, ListJobsResponse__Output as _jobs_v1_ListJobsResponse__Output } from '../../jobs/v1/ListJobsResponse';

/**
 * Jobs owns units of work and their lifecycle.
 */
export interface JobsServiceClient extends grpc.Client {
  CreateJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _jobs_v1_CreateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _jobs_v1_CreateJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  GetJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _jobs_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _jobs_v1_GetJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists jobs in ascending id order, one page at a time.
   */
  ListJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _jobs_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _jobs_v1_ListJobsRequest, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists jobs in ascending id order, one page at a time.
   */
  listJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _jobs_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _jobs_v1_ListJobsRequest, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Jobs owns units of work and their lifecycle.
 */
export interface JobsServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateJob: grpc.handleUnaryCall<_jobs_v1_CreateJobRequest__Output, _jobs_v1_Job>;
  
  GetJob: grpc.handleUnaryCall<_jobs_v1_GetJobRequest__Output, _jobs_v1_Job>;
  
  /**
   * Lists jobs in ascending id order, one page at a time.
   */
  ListJobs: grpc.handleUnaryCall<_jobs_v1_ListJobsRequest__Output, _jobs_v1_ListJobsResponse>;
  
}

export interface JobsServiceDefinition extends grpc.ServiceDefinition {
  CreateJob: MethodDefinition<_jobs_v1_CreateJobRequest, _jobs_v1_Job, _jobs_v1_CreateJobRequest__Output, _jobs_v1_Job__Output>
  GetJob: MethodDefinition<_jobs_v1_GetJobRequest, _jobs_v1_Job, _jobs_v1_GetJobRequest__Output, _jobs_v1_Job__Output>
  ListJobs: MethodDefinition<_jobs_v1_ListJobsRequest, _jobs_v1_ListJobsResponse, _jobs_v1_ListJobsRequest__Output, _jobs_v1_ListJobsResponse__Output>
}
