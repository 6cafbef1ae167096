// Original file: jobs.proto


export interface GetJobStatsRequest {
  /**
   * Empty: every owner's jobs; set: only this owner's.
   */
  'owner'?: (string);
}

export interface GetJobStatsRequest__Output {
  /**
   * Empty: every owner's jobs; set: only this owner's.
   */
  'owner': (string);
}
