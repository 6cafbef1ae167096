// Original file: jobs.proto


export interface ClaimJobRequest {
  /**
   * A label for humans (logs, Job.worker_id); never a capability.
   */
  'worker_id'?: (string);
  /**
   * 0: the default (30). At most 3600.
   */
  'lease_seconds'?: (number);
  /**
   * Only jobs of these kinds; empty: any kind.
   */
  'kinds'?: (string)[];
  /**
   * When no job is ready: how long to hold the call, answering the moment one
   * is (a long poll). 0: answer at once. At most 30000; never past the call's deadline.
   */
  'wait_ms'?: (number);
  /**
   * Only jobs in these queues; empty: any queue.
   */
  'queues'?: (string)[];
  /**
   * Up to this many ready jobs in one claim, each with its own lease (0 or 1: one; at most 100).
   */
  'max_jobs'?: (number);
}

export interface ClaimJobRequest__Output {
  /**
   * A label for humans (logs, Job.worker_id); never a capability.
   */
  'worker_id': (string);
  /**
   * 0: the default (30). At most 3600.
   */
  'lease_seconds': (number);
  /**
   * Only jobs of these kinds; empty: any kind.
   */
  'kinds': (string)[];
  /**
   * When no job is ready: how long to hold the call, answering the moment one
   * is (a long poll). 0: answer at once. At most 30000; never past the call's deadline.
   */
  'wait_ms': (number);
  /**
   * Only jobs in these queues; empty: any queue.
   */
  'queues': (string)[];
  /**
   * Up to this many ready jobs in one claim, each with its own lease (0 or 1: one; at most 100).
   */
  'max_jobs': (number);
}
