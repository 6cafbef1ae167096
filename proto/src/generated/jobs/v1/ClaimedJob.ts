// Original file: jobs.proto

import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';

export interface ClaimedJob {
  'job'?: (_jobs_v1_Job | null);
  'lease_token'?: (string);
}

export interface ClaimedJob__Output {
  'job': (_jobs_v1_Job__Output | null);
  'lease_token': (string);
}
