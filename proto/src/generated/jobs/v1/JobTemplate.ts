// Original file: schedules.proto


/**
 * What a schedule's firing creates: the fields of CreateJobRequest that a job takes from it.
 */
export interface JobTemplate {
  'job_name'?: (string);
  /**
   * "noop" when not given.
   */
  'kind'?: (string);
  /**
   * JSON text; empty when none.
   */
  'payload'?: (string);
  /**
   * 0 (unset): the service's default.
   */
  'max_attempts'?: (number);
}

/**
 * What a schedule's firing creates: the fields of CreateJobRequest that a job takes from it.
 */
export interface JobTemplate__Output {
  'job_name': (string);
  /**
   * "noop" when not given.
   */
  'kind': (string);
  /**
   * JSON text; empty when none.
   */
  'payload': (string);
  /**
   * 0 (unset): the service's default.
   */
  'max_attempts': (number);
}
