// Original file: jobs.proto


export interface CreateJobRequest {
  'job_name'?: (string);
}

export interface CreateJobRequest__Output {
  'job_name': (string);
}
