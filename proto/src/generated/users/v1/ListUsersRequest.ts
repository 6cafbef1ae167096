// Original file: users.proto


export interface ListUsersRequest {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size'?: (number);
  /**
   * Opaque cursor from a previous ListUsersResponse; empty for the first page.
   */
  'page_token'?: (string);
}

export interface ListUsersRequest__Output {
  /**
   * 0 (unset): the service's default page size. Values above the maximum are capped.
   */
  'page_size': (number);
  /**
   * Opaque cursor from a previous ListUsersResponse; empty for the first page.
   */
  'page_token': (string);
}
