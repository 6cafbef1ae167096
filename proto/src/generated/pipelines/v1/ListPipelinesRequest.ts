// Original file: pipelines.proto

import type { PipelineStatus as _pipelines_v1_PipelineStatus, PipelineStatus__Output as _pipelines_v1_PipelineStatus__Output } from '../../pipelines/v1/PipelineStatus';

export interface ListPipelinesRequest {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size'?: (number);
  /**
   * Opaque cursor from a previous ListPipelinesResponse; empty for the first page.
   */
  'page_token'?: (string);
  /**
   * UNSPECIFIED: every status.
   */
  'status'?: (_pipelines_v1_PipelineStatus);
  /**
   * Empty: every owner's pipelines; set: only this owner's.
   */
  'owner'?: (string);
}

export interface ListPipelinesRequest__Output {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size': (number);
  /**
   * Opaque cursor from a previous ListPipelinesResponse; empty for the first page.
   */
  'page_token': (string);
  /**
   * UNSPECIFIED: every status.
   */
  'status': (_pipelines_v1_PipelineStatus__Output);
  /**
   * Empty: every owner's pipelines; set: only this owner's.
   */
  'owner': (string);
}
