import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { CancelPipelineRequest as _pipelines_v1_CancelPipelineRequest, CancelPipelineRequest__Output as _pipelines_v1_CancelPipelineRequest__Output } from './pipelines/v1/CancelPipelineRequest';
import type { CreatePipelineRequest as _pipelines_v1_CreatePipelineRequest, CreatePipelineRequest__Output as _pipelines_v1_CreatePipelineRequest__Output } from './pipelines/v1/CreatePipelineRequest';
import type { GetPipelineRequest as _pipelines_v1_GetPipelineRequest, GetPipelineRequest__Output as _pipelines_v1_GetPipelineRequest__Output } from './pipelines/v1/GetPipelineRequest';
import type { ListPipelinesRequest as _pipelines_v1_ListPipelinesRequest, ListPipelinesRequest__Output as _pipelines_v1_ListPipelinesRequest__Output } from './pipelines/v1/ListPipelinesRequest';
import type { ListPipelinesResponse as _pipelines_v1_ListPipelinesResponse, ListPipelinesResponse__Output as _pipelines_v1_ListPipelinesResponse__Output } from './pipelines/v1/ListPipelinesResponse';
import type { Pipeline as _pipelines_v1_Pipeline, Pipeline__Output as _pipelines_v1_Pipeline__Output } from './pipelines/v1/Pipeline';
import type { PipelinesServiceClient as _pipelines_v1_PipelinesServiceClient, PipelinesServiceDefinition as _pipelines_v1_PipelinesServiceDefinition } from './pipelines/v1/PipelinesService';
import type { RerunPipelineRequest as _pipelines_v1_RerunPipelineRequest, RerunPipelineRequest__Output as _pipelines_v1_RerunPipelineRequest__Output } from './pipelines/v1/RerunPipelineRequest';
import type { RetryPipelineRequest as _pipelines_v1_RetryPipelineRequest, RetryPipelineRequest__Output as _pipelines_v1_RetryPipelineRequest__Output } from './pipelines/v1/RetryPipelineRequest';
import type { Step as _pipelines_v1_Step, Step__Output as _pipelines_v1_Step__Output } from './pipelines/v1/Step';
import type { WatchPipelineRequest as _pipelines_v1_WatchPipelineRequest, WatchPipelineRequest__Output as _pipelines_v1_WatchPipelineRequest__Output } from './pipelines/v1/WatchPipelineRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  pipelines: {
    v1: {
      CancelPipelineRequest: MessageTypeDefinition<_pipelines_v1_CancelPipelineRequest, _pipelines_v1_CancelPipelineRequest__Output>
      CreatePipelineRequest: MessageTypeDefinition<_pipelines_v1_CreatePipelineRequest, _pipelines_v1_CreatePipelineRequest__Output>
      GetPipelineRequest: MessageTypeDefinition<_pipelines_v1_GetPipelineRequest, _pipelines_v1_GetPipelineRequest__Output>
      ListPipelinesRequest: MessageTypeDefinition<_pipelines_v1_ListPipelinesRequest, _pipelines_v1_ListPipelinesRequest__Output>
      ListPipelinesResponse: MessageTypeDefinition<_pipelines_v1_ListPipelinesResponse, _pipelines_v1_ListPipelinesResponse__Output>
      Pipeline: MessageTypeDefinition<_pipelines_v1_Pipeline, _pipelines_v1_Pipeline__Output>
      PipelineStatus: EnumTypeDefinition
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
      PipelinesService: SubtypeConstructor<typeof grpc.Client, _pipelines_v1_PipelinesServiceClient> & { service: _pipelines_v1_PipelinesServiceDefinition }
      RerunPipelineRequest: MessageTypeDefinition<_pipelines_v1_RerunPipelineRequest, _pipelines_v1_RerunPipelineRequest__Output>
      RetryPipelineRequest: MessageTypeDefinition<_pipelines_v1_RetryPipelineRequest, _pipelines_v1_RetryPipelineRequest__Output>
      Step: MessageTypeDefinition<_pipelines_v1_Step, _pipelines_v1_Step__Output>
      StepStatus: EnumTypeDefinition
      WatchPipelineRequest: MessageTypeDefinition<_pipelines_v1_WatchPipelineRequest, _pipelines_v1_WatchPipelineRequest__Output>
    }
  }
}

