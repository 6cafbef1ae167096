// Original file: pipelines.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelPipelineRequest as _pipelines_v1_CancelPipelineRequest, CancelPipelineRequest__Output as _pipelines_v1_CancelPipelineRequest__Output } from '../../pipelines/v1/CancelPipelineRequest';
import type { CreatePipelineRequest as _pipelines_v1_CreatePipelineRequest, CreatePipelineRequest__Output as _pipelines_v1_CreatePipelineRequest__Output } from '../../pipelines/v1/CreatePipelineRequest';
import type { GetPipelineRequest as _pipelines_v1_GetPipelineRequest, GetPipelineRequest__Output as _pipelines_v1_GetPipelineRequest__Output } from '../../pipelines/v1/GetPipelineRequest';
import type { ListPipelinesRequest as _pipelines_v1_ListPipelinesRequest, ListPipelinesRequest__Output as _pipelines_v1_ListPipelinesRequest__Output } from '../../pipelines/v1/ListPipelinesRequest';
import type { ListPipelinesResponse as _pipelines_v1_ListPipelinesResponse, ListPipelinesResponse__Output as _pipelines_v1_ListPipelinesResponse__Output } from '../../pipelines/v1/ListPipelinesResponse';
import type { Pipeline as _pipelines_v1_Pipeline, Pipeline__Output as _pipelines_v1_Pipeline__Output } from '../../pipelines/v1/Pipeline';
import type { RerunPipelineRequest as _pipelines_v1_RerunPipelineRequest, RerunPipelineRequest__Output as _pipelines_v1_RerunPipelineRequest__Output } from '../../pipelines/v1/RerunPipelineRequest';
import type { RetryPipelineRequest as _pipelines_v1_RetryPipelineRequest, RetryPipelineRequest__Output as _pipelines_v1_RetryPipelineRequest__Output } from '../../pipelines/v1/RetryPipelineRequest';
import type { WatchPipelineRequest as _pipelines_v1_WatchPipelineRequest, WatchPipelineRequest__Output as _pipelines_v1_WatchPipelineRequest__Output } from '../../pipelines/v1/WatchPipelineRequest';

/**
 * Pipelines owns named workflows built from jobs. A pipeline's steps form a
 * DAG; a step is submitted to the jobs service as a job once every step it
 * depends on has SUCCEEDED. The pipeline SUCCEEDS when every step has; the
 * first step that fails (or whose job is cancelled) FAILS it: its other jobs
 * are cancelled and its unstarted steps are SKIPPED. A pipeline without steps
 * is only a name: it stays PENDING.
 * 
 * Data: a pipeline may carry `parameters` (a JSON object), and a step's
 * payload may reference them and earlier steps' results with templates
 * (`{{ params.name }}`, `{{ steps.<step>.result.<path> }}`; docs/jobs.md),
 * rendered when the step's job is created. A reference to a missing value
 * fails that step.
 * 
 * Ownership: every pipeline records the subject that created it (`owner`),
 * and its steps' jobs belong to the same owner. Get and Cancel take an `owner`
 * condition: empty matches any pipeline (trusted callers, admins); set, a
 * pipeline of another owner is NOT_FOUND, as if it did not exist.
 */
export interface PipelinesServiceClient extends grpc.Client {
  /**
   * Cancels a PENDING or RUNNING pipeline: its jobs are cancelled, its unstarted steps SKIPPED.
   */
  CancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  CancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  CancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  CancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  /**
   * Cancels a PENDING or RUNNING pipeline: its jobs are cancelled, its unstarted steps SKIPPED.
   */
  cancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  cancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  cancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  cancelPipeline(argument: _pipelines_v1_CancelPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  
  CreatePipeline(argument: _pipelines_v1_CreatePipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  CreatePipeline(argument: _pipelines_v1_CreatePipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  CreatePipeline(argument: _pipelines_v1_CreatePipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  CreatePipeline(argument: _pipelines_v1_CreatePipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  createPipeline(argument: _pipelines_v1_CreatePipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  createPipeline(argument: _pipelines_v1_CreatePipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  createPipeline(argument: _pipelines_v1_CreatePipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  createPipeline(argument: _pipelines_v1_CreatePipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  
  GetPipeline(argument: _pipelines_v1_GetPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  GetPipeline(argument: _pipelines_v1_GetPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  GetPipeline(argument: _pipelines_v1_GetPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  GetPipeline(argument: _pipelines_v1_GetPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  getPipeline(argument: _pipelines_v1_GetPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  getPipeline(argument: _pipelines_v1_GetPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  getPipeline(argument: _pipelines_v1_GetPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  getPipeline(argument: _pipelines_v1_GetPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists pipelines in ascending id order, one page at a time.
   */
  ListPipelines(argument: _pipelines_v1_ListPipelinesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  ListPipelines(argument: _pipelines_v1_ListPipelinesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  ListPipelines(argument: _pipelines_v1_ListPipelinesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  ListPipelines(argument: _pipelines_v1_ListPipelinesRequest, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists pipelines in ascending id order, one page at a time.
   */
  listPipelines(argument: _pipelines_v1_ListPipelinesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  listPipelines(argument: _pipelines_v1_ListPipelinesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  listPipelines(argument: _pipelines_v1_ListPipelinesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  listPipelines(argument: _pipelines_v1_ListPipelinesRequest, callback: grpc.requestCallback<_pipelines_v1_ListPipelinesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates a new pipeline with the same name, steps and parameters as the
   * given one (any status), `parameters` merged over its parameters; as
   * CreatePipeline does, it belongs to `new_owner`. The owner condition works
   * like GetPipeline's.
   */
  RerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  RerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  RerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  RerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a new pipeline with the same name, steps and parameters as the
   * given one (any status), `parameters` merged over its parameters; as
   * CreatePipeline does, it belongs to `new_owner`. The owner condition works
   * like GetPipeline's.
   */
  rerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  rerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  rerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  rerunPipeline(argument: _pipelines_v1_RerunPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  
  /**
   * FAILED or CANCELLED (and settled: every step final) -> RUNNING: its
   * FAILED, CANCELLED and SKIPPED steps start over (WAITING, then new jobs as
   * their dependencies allow); SUCCEEDED steps and their results are kept.
   * Any other state is FAILED_PRECONDITION. The owner condition works like
   * CancelPipeline's.
   */
  RetryPipeline(argument: _pipelines_v1_RetryPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  RetryPipeline(argument: _pipelines_v1_RetryPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  RetryPipeline(argument: _pipelines_v1_RetryPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  RetryPipeline(argument: _pipelines_v1_RetryPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  /**
   * FAILED or CANCELLED (and settled: every step final) -> RUNNING: its
   * FAILED, CANCELLED and SKIPPED steps start over (WAITING, then new jobs as
   * their dependencies allow); SUCCEEDED steps and their results are kept.
   * Any other state is FAILED_PRECONDITION. The owner condition works like
   * CancelPipeline's.
   */
  retryPipeline(argument: _pipelines_v1_RetryPipelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  retryPipeline(argument: _pipelines_v1_RetryPipelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  retryPipeline(argument: _pipelines_v1_RetryPipelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  retryPipeline(argument: _pipelines_v1_RetryPipelineRequest, callback: grpc.requestCallback<_pipelines_v1_Pipeline__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sends the pipeline now and again after every change (its own status or a
   * step's, steps following their jobs), and ends once the pipeline is final
   * (and so are its steps). The owner condition works like GetPipeline's.
   */
  WatchPipeline(argument: _pipelines_v1_WatchPipelineRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_pipelines_v1_Pipeline__Output>;
  WatchPipeline(argument: _pipelines_v1_WatchPipelineRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_pipelines_v1_Pipeline__Output>;
  /**
   * Sends the pipeline now and again after every change (its own status or a
   * step's, steps following their jobs), and ends once the pipeline is final
   * (and so are its steps). The owner condition works like GetPipeline's.
   */
  watchPipeline(argument: _pipelines_v1_WatchPipelineRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_pipelines_v1_Pipeline__Output>;
  watchPipeline(argument: _pipelines_v1_WatchPipelineRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_pipelines_v1_Pipeline__Output>;
  
}

/**
 * Pipelines owns named workflows built from jobs. A pipeline's steps form a
 * DAG; a step is submitted to the jobs service as a job once every step it
 * depends on has SUCCEEDED. The pipeline SUCCEEDS when every step has; the
 * first step that fails (or whose job is cancelled) FAILS it: its other jobs
 * are cancelled and its unstarted steps are SKIPPED. A pipeline without steps
 * is only a name: it stays PENDING.
 * 
 * Data: a pipeline may carry `parameters` (a JSON object), and a step's
 * payload may reference them and earlier steps' results with templates
 * (`{{ params.name }}`, `{{ steps.<step>.result.<path> }}`; docs/jobs.md),
 * rendered when the step's job is created. A reference to a missing value
 * fails that step.
 * 
 * Ownership: every pipeline records the subject that created it (`owner`),
 * and its steps' jobs belong to the same owner. Get and Cancel take an `owner`
 * condition: empty matches any pipeline (trusted callers, admins); set, a
 * pipeline of another owner is NOT_FOUND, as if it did not exist.
 */
export interface PipelinesServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Cancels a PENDING or RUNNING pipeline: its jobs are cancelled, its unstarted steps SKIPPED.
   */
  CancelPipeline: grpc.handleUnaryCall<_pipelines_v1_CancelPipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  CreatePipeline: grpc.handleUnaryCall<_pipelines_v1_CreatePipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  GetPipeline: grpc.handleUnaryCall<_pipelines_v1_GetPipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  /**
   * Lists pipelines in ascending id order, one page at a time.
   */
  ListPipelines: grpc.handleUnaryCall<_pipelines_v1_ListPipelinesRequest__Output, _pipelines_v1_ListPipelinesResponse>;
  
  /**
   * Creates a new pipeline with the same name, steps and parameters as the
   * given one (any status), `parameters` merged over its parameters; as
   * CreatePipeline does, it belongs to `new_owner`. The owner condition works
   * like GetPipeline's.
   */
  RerunPipeline: grpc.handleUnaryCall<_pipelines_v1_RerunPipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  /**
   * FAILED or CANCELLED (and settled: every step final) -> RUNNING: its
   * FAILED, CANCELLED and SKIPPED steps start over (WAITING, then new jobs as
   * their dependencies allow); SUCCEEDED steps and their results are kept.
   * Any other state is FAILED_PRECONDITION. The owner condition works like
   * CancelPipeline's.
   */
  RetryPipeline: grpc.handleUnaryCall<_pipelines_v1_RetryPipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  /**
   * Sends the pipeline now and again after every change (its own status or a
   * step's, steps following their jobs), and ends once the pipeline is final
   * (and so are its steps). The owner condition works like GetPipeline's.
   */
  WatchPipeline: grpc.handleServerStreamingCall<_pipelines_v1_WatchPipelineRequest__Output, _pipelines_v1_Pipeline>;
  
}

export interface PipelinesServiceDefinition extends grpc.ServiceDefinition {
  CancelPipeline: MethodDefinition<_pipelines_v1_CancelPipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_CancelPipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  CreatePipeline: MethodDefinition<_pipelines_v1_CreatePipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_CreatePipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  GetPipeline: MethodDefinition<_pipelines_v1_GetPipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_GetPipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  ListPipelines: MethodDefinition<_pipelines_v1_ListPipelinesRequest, _pipelines_v1_ListPipelinesResponse, _pipelines_v1_ListPipelinesRequest__Output, _pipelines_v1_ListPipelinesResponse__Output>
  RerunPipeline: MethodDefinition<_pipelines_v1_RerunPipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_RerunPipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  RetryPipeline: MethodDefinition<_pipelines_v1_RetryPipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_RetryPipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  WatchPipeline: MethodDefinition<_pipelines_v1_WatchPipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_WatchPipelineRequest__Output, _pipelines_v1_Pipeline__Output>
}
