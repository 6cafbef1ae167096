// Original file: jobs.proto

import type { KindStats as _jobs_v1_KindStats, KindStats__Output as _jobs_v1_KindStats__Output } from '../../jobs/v1/KindStats';

export interface JobStats {
  /**
   * One entry per kind that has jobs, in kind order.
   */
  'kinds'?: (_jobs_v1_KindStats)[];
}

export interface JobStats__Output {
  /**
   * One entry per kind that has jobs, in kind order.
   */
  'kinds': (_jobs_v1_KindStats__Output)[];
}
