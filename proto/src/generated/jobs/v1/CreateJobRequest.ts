// Original file: jobs.proto


export interface CreateJobRequest {
  'job_name'?: (string);
  /**
   * Empty: "noop".
   */
  'kind'?: (string);
  /**
   * JSON text, at most 64 KiB; empty: none.
   */
  'payload'?: (string);
  /**
   * 0: the default (3).
   */
  'max_attempts'?: (number);
  /**
   * When set, creating again with the same key (and owner) returns the job created first.
   */
  'idempotency_key'?: (string);
  /**
   * Required: who the job belongs to.
   */
  'owner'?: (string);
}

export interface CreateJobRequest__Output {
  'job_name': (string);
  /**
   * Empty: "noop".
   */
  'kind': (string);
  /**
   * JSON text, at most 64 KiB; empty: none.
   */
  'payload': (string);
  /**
   * 0: the default (3).
   */
  'max_attempts': (number);
  /**
   * When set, creating again with the same key (and owner) returns the job created first.
   */
  'idempotency_key': (string);
  /**
   * Required: who the job belongs to.
   */
  'owner': (string);
}
