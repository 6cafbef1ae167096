// Original file: users.proto

import type { User as _users_v1_User, User__Output as _users_v1_User__Output } from '../../users/v1/User';

export interface ListUsersResponse {
  'users'?: (_users_v1_User)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListUsersResponse__Output {
  'users': (_users_v1_User__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
