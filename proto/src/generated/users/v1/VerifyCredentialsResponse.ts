// Original file: users.proto

import type { User as _users_v1_User, User__Output as _users_v1_User__Output } from '../../users/v1/User';

export interface VerifyCredentialsResponse {
  'valid'?: (boolean);
  /**
   * Set only when valid.
   */
  'user'?: (_users_v1_User | null);
}

export interface VerifyCredentialsResponse__Output {
  'valid': (boolean);
  /**
   * Set only when valid.
   */
  'user': (_users_v1_User__Output | null);
}
