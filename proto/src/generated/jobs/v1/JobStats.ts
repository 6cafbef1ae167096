// Original file: jobs.proto

import type { KindStats as _jobs_v1_KindStats, KindStats__Output as _jobs_v1_KindStats__Output } from '../../jobs/v1/KindStats';

export interface JobStats {
  /**
   * One entry per kind that has jobs (all its queues together), in kind order; `queue` is empty.
   */
  'kinds'?: (_jobs_v1_KindStats)[];
  /**
   * One entry per (kind, queue) that has jobs, in kind then queue order; `queue` is set.
   */
  'queues'?: (_jobs_v1_KindStats)[];
}

export interface JobStats__Output {
  /**
   * One entry per kind that has jobs (all its queues together), in kind order; `queue` is empty.
   */
  'kinds': (_jobs_v1_KindStats__Output)[];
  /**
   * One entry per (kind, queue) that has jobs, in kind then queue order; `queue` is set.
   */
  'queues': (_jobs_v1_KindStats__Output)[];
}
