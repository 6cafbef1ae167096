// Original file: pipelines.proto

import type { Long } from '@grpc/proto-loader';

export interface RerunPipelineRequest {
  /**
   * The pipeline to copy.
   */
  'id'?: (number | string | Long);
  /**
   * Empty: any owner; set: a pipeline of another owner is NOT_FOUND.
   */
  'owner'?: (string);
  /**
   * Required: who the new pipeline belongs to.
   */
  'new_owner'?: (string);
  /**
   * A JSON object (text) whose keys replace the copied parameters' (top level); empty: none.
   */
  'parameters'?: (string);
  /**
   * As CreatePipeline's, over the new pipeline's name, steps and parameters.
   */
  'idempotency_key'?: (string);
}

export interface RerunPipelineRequest__Output {
  /**
   * The pipeline to copy.
   */
  'id': (string);
  /**
   * Empty: any owner; set: a pipeline of another owner is NOT_FOUND.
   */
  'owner': (string);
  /**
   * Required: who the new pipeline belongs to.
   */
  'new_owner': (string);
  /**
   * A JSON object (text) whose keys replace the copied parameters' (top level); empty: none.
   */
  'parameters': (string);
  /**
   * As CreatePipeline's, over the new pipeline's name, steps and parameters.
   */
  'idempotency_key': (string);
}
