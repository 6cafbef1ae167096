// Original file: pipelines.proto


export interface CreatePipelineRequest {
  'pipeline_name'?: (string);
}

export interface CreatePipelineRequest__Output {
  'pipeline_name': (string);
}
