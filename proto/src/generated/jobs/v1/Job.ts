// Original file: jobs.proto

import type { JobStatus as _jobs_v1_JobStatus, JobStatus__Output as _jobs_v1_JobStatus__Output } from '../../jobs/v1/JobStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface Job {
  'id'?: (number | string | Long);
  'job_name'?: (string);
  'status'?: (_jobs_v1_JobStatus);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'updated_at'?: (_google_protobuf_Timestamp | null);
}

export interface Job__Output {
  'id': (string);
  'job_name': (string);
  'status': (_jobs_v1_JobStatus__Output);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'updated_at': (_google_protobuf_Timestamp__Output | null);
}
