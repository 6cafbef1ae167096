// Original file: users.proto

import type { LoginThrottleLimits as _users_v1_LoginThrottleLimits, LoginThrottleLimits__Output as _users_v1_LoginThrottleLimits__Output } from '../../users/v1/LoginThrottleLimits';

export interface AdmitLoginRequest {
  /**
   * As typed: the service compares usernames after NFKC, trimming and lower-casing.
   */
  'username'?: (string);
  /**
   * The client address as the gateway sees it.
   */
  'address'?: (string);
  'limits'?: (_users_v1_LoginThrottleLimits | null);
}

export interface AdmitLoginRequest__Output {
  /**
   * As typed: the service compares usernames after NFKC, trimming and lower-casing.
   */
  'username': (string);
  /**
   * The client address as the gateway sees it.
   */
  'address': (string);
  'limits': (_users_v1_LoginThrottleLimits__Output | null);
}
