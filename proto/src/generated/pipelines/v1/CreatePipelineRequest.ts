// Original file: pipelines.proto

import type { Step as _pipelines_v1_Step, Step__Output as _pipelines_v1_Step__Output } from '../../pipelines/v1/Step';

export interface CreatePipelineRequest {
  'pipeline_name'?: (string);
  /**
   * At most 50; empty: a pipeline that is only a name.
   */
  'steps'?: (_pipelines_v1_Step)[];
  /**
   * Required: who the pipeline (and its steps' jobs) belongs to.
   */
  'owner'?: (string);
  /**
   * When set, creating again with the same key (and owner) and the same request
   * (pipeline_name, steps) returns the pipeline created first; the same key
   * with a different request is INVALID_ARGUMENT (field idempotency_key).
   * 1 to 200 printable ASCII characters.
   */
  'idempotency_key'?: (string);
  /**
   * A JSON object (text, at most 64 KiB); empty: none.
   */
  'parameters'?: (string);
}

export interface CreatePipelineRequest__Output {
  'pipeline_name': (string);
  /**
   * At most 50; empty: a pipeline that is only a name.
   */
  'steps': (_pipelines_v1_Step__Output)[];
  /**
   * Required: who the pipeline (and its steps' jobs) belongs to.
   */
  'owner': (string);
  /**
   * When set, creating again with the same key (and owner) and the same request
   * (pipeline_name, steps) returns the pipeline created first; the same key
   * with a different request is INVALID_ARGUMENT (field idempotency_key).
   * 1 to 200 printable ASCII characters.
   */
  'idempotency_key': (string);
  /**
   * A JSON object (text, at most 64 KiB); empty: none.
   */
  'parameters': (string);
}
