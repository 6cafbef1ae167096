// Original file: jobs.proto

import type { Long } from '@grpc/proto-loader';

export interface KindStats {
  'kind'?: (string);
  'pending'?: (number | string | Long);
  'running'?: (number | string | Long);
  'succeeded'?: (number | string | Long);
  'failed'?: (number | string | Long);
  'cancelled'?: (number | string | Long);
  /**
   * Seconds since the oldest PENDING job of this kind (and queue) was created; 0 when none is PENDING.
   */
  'oldest_pending_age_seconds'?: (number | string);
  /**
   * The queue, in JobStats.queues; empty in JobStats.kinds.
   */
  'queue'?: (string);
}

export interface KindStats__Output {
  'kind': (string);
  'pending': (string);
  'running': (string);
  'succeeded': (string);
  'failed': (string);
  'cancelled': (string);
  /**
   * Seconds since the oldest PENDING job of this kind (and queue) was created; 0 when none is PENDING.
   */
  'oldest_pending_age_seconds': (number);
  /**
   * The queue, in JobStats.queues; empty in JobStats.kinds.
   */
  'queue': (string);
}
