// Original file: pipelines.proto

import type { Pipeline as _pipelines_v1_Pipeline, Pipeline__Output as _pipelines_v1_Pipeline__Output } from '../../pipelines/v1/Pipeline';

export interface ListPipelinesResponse {
  'pipelines'?: (_pipelines_v1_Pipeline)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListPipelinesResponse__Output {
  'pipelines': (_pipelines_v1_Pipeline__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
