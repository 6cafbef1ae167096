// Original file: pipelines.proto

import type { StepStatus as _pipelines_v1_StepStatus, StepStatus__Output as _pipelines_v1_StepStatus__Output } from '../../pipelines/v1/StepStatus';
import type { Long } from '@grpc/proto-loader';

export interface Step {
  /**
   * Unique within the pipeline.
   */
  'name'?: (string);
  /**
   * The job kind, e.g. "echo".
   */
  'kind'?: (string);
  /**
   * JSON text for the job's payload; empty: none.
   */
  'payload'?: (string);
  /**
   * Names of steps that must succeed first.
   */
  'depends_on'?: (string)[];
  /**
   * Output only.
   */
  'status'?: (_pipelines_v1_StepStatus);
  /**
   * Output only: the step's job, 0 until it is submitted.
   */
  'job_id'?: (number | string | Long);
  /**
   * Output only: why the step's job failed, or why its payload could not be rendered.
   */
  'error'?: (string);
}

export interface Step__Output {
  /**
   * Unique within the pipeline.
   */
  'name': (string);
  /**
   * The job kind, e.g. "echo".
   */
  'kind': (string);
  /**
   * JSON text for the job's payload; empty: none.
   */
  'payload': (string);
  /**
   * Names of steps that must succeed first.
   */
  'depends_on': (string)[];
  /**
   * Output only.
   */
  'status': (_pipelines_v1_StepStatus__Output);
  /**
   * Output only: the step's job, 0 until it is submitted.
   */
  'job_id': (string);
  /**
   * Output only: why the step's job failed, or why its payload could not be rendered.
   */
  'error': (string);
}
