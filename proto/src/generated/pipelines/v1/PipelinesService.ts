// Original file: pipelines.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreatePipelineRequest as _pipelines_v1_CreatePipelineRequest, CreatePipelineRequest__Output as _pipelines_v1_CreatePipelineRequest__Output } from '../../pipelines/v1/CreatePipelineRequest';
import type { GetPipelineRequest as _pipelines_v1_GetPipelineRequest, GetPipelineRequest__Output as _pipelines_v1_GetPipelineRequest__Output } from '../../pipelines/v1/GetPipelineRequest';
import type { ListPipelinesRequest as _pipelines_v1_ListPipelinesRequest, ListPipelinesRequest__Output as _pipelines_v1_ListPipelinesRequest__Output } from '../../pipelines/v1/ListPipelinesRequest';
import type { ListPipelinesResponse as _pipelines_v1_ListPipelinesResponse, ListPipelinesResponse__Output as _pipelines_v1_ListPipelinesResponse__Output } from '../../pipelines/v1/ListPipelinesResponse';
import type { Pipeline as _pipelines_v1_Pipeline, Pipeline__Output as _pipelines_v1_Pipeline__Output } from '../../pipelines/v1/Pipeline';

/**
 * Pipelines owns named workflows built from jobs.
 */
export interface PipelinesServiceClient extends grpc.Client {
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
  
}

/**
 * Pipelines owns named workflows built from jobs.
 */
export interface PipelinesServiceHandlers extends grpc.UntypedServiceImplementation {
  CreatePipeline: grpc.handleUnaryCall<_pipelines_v1_CreatePipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  GetPipeline: grpc.handleUnaryCall<_pipelines_v1_GetPipelineRequest__Output, _pipelines_v1_Pipeline>;
  
  /**
   * Lists pipelines in ascending id order, one page at a time.
   */
  ListPipelines: grpc.handleUnaryCall<_pipelines_v1_ListPipelinesRequest__Output, _pipelines_v1_ListPipelinesResponse>;
  
}

export interface PipelinesServiceDefinition extends grpc.ServiceDefinition {
  CreatePipeline: MethodDefinition<_pipelines_v1_CreatePipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_CreatePipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  GetPipeline: MethodDefinition<_pipelines_v1_GetPipelineRequest, _pipelines_v1_Pipeline, _pipelines_v1_GetPipelineRequest__Output, _pipelines_v1_Pipeline__Output>
  ListPipelines: MethodDefinition<_pipelines_v1_ListPipelinesRequest, _pipelines_v1_ListPipelinesResponse, _pipelines_v1_ListPipelinesRequest__Output, _pipelines_v1_ListPipelinesResponse__Output>
}
