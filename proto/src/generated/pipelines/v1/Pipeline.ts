// Original file: pipelines.proto

import type { PipelineStatus as _pipelines_v1_PipelineStatus, PipelineStatus__Output as _pipelines_v1_PipelineStatus__Output } from '../../pipelines/v1/PipelineStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Step as _pipelines_v1_Step, Step__Output as _pipelines_v1_Step__Output } from '../../pipelines/v1/Step';
import type { Long } from '@grpc/proto-loader';

export interface Pipeline {
  'id'?: (number | string | Long);
  'pipeline_name'?: (string);
  'status'?: (_pipelines_v1_PipelineStatus);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'updated_at'?: (_google_protobuf_Timestamp | null);
  'steps'?: (_pipelines_v1_Step)[];
  /**
   * The subject that created it (the token's `sub` at the gateway).
   */
  'owner'?: (string);
  'idempotency_key'?: (string);
  /**
   * Output only, CreatePipeline: true when an earlier CreatePipeline with the
   * same idempotency_key (and owner) created this pipeline and this call only replayed it.
   */
  'idempotent_replay'?: (boolean);
  /**
   * JSON object text; empty: none. Step payloads reference it as `params`.
   */
  'parameters'?: (string);
  /**
   * Output only: how many times RetryPipeline restarted it.
   */
  'retries'?: (number);
  /**
   * Output only: the pipeline RerunPipeline copied it from; 0: none.
   */
  'rerun_of'?: (number | string | Long);
}

export interface Pipeline__Output {
  'id': (string);
  'pipeline_name': (string);
  'status': (_pipelines_v1_PipelineStatus__Output);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'updated_at': (_google_protobuf_Timestamp__Output | null);
  'steps': (_pipelines_v1_Step__Output)[];
  /**
   * The subject that created it (the token's `sub` at the gateway).
   */
  'owner': (string);
  'idempotency_key': (string);
  /**
   * Output only, CreatePipeline: true when an earlier CreatePipeline with the
   * same idempotency_key (and owner) created this pipeline and this call only replayed it.
   */
  'idempotent_replay': (boolean);
  /**
   * JSON object text; empty: none. Step payloads reference it as `params`.
   */
  'parameters': (string);
  /**
   * Output only: how many times RetryPipeline restarted it.
   */
  'retries': (number);
  /**
   * Output only: the pipeline RerunPipeline copied it from; 0: none.
   */
  'rerun_of': (string);
}
