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
   * When set, creating again with the same key (and owner) and the same request
   * (job_name, kind, payload, max_attempts) returns the job created first; the
   * same key with a different request is INVALID_ARGUMENT (field idempotency_key).
   * 1 to 200 printable ASCII characters.
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
   * When set, creating again with the same key (and owner) and the same request
   * (job_name, kind, payload, max_attempts) returns the job created first; the
   * same key with a different request is INVALID_ARGUMENT (field idempotency_key).
   * 1 to 200 printable ASCII characters.
   */
  'idempotency_key': (string);
  /**
   * Required: who the job belongs to.
   */
  'owner': (string);
}
