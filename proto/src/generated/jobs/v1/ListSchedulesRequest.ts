// Original file: schedules.proto


export interface ListSchedulesRequest {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size'?: (number);
  'page_token'?: (string);
  /**
   * Empty: every owner's schedules; set: only this owner's.
   */
  'owner'?: (string);
}

export interface ListSchedulesRequest__Output {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size': (number);
  'page_token': (string);
  /**
   * Empty: every owner's schedules; set: only this owner's.
   */
  'owner': (string);
}
