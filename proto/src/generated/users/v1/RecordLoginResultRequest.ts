// Original file: users.proto

import type { LoginThrottleLimits as _users_v1_LoginThrottleLimits, LoginThrottleLimits__Output as _users_v1_LoginThrottleLimits__Output } from '../../users/v1/LoginThrottleLimits';

export interface RecordLoginResultRequest {
  'username'?: (string);
  'succeeded'?: (boolean);
  'limits'?: (_users_v1_LoginThrottleLimits | null);
}

export interface RecordLoginResultRequest__Output {
  'username': (string);
  'succeeded': (boolean);
  'limits': (_users_v1_LoginThrottleLimits__Output | null);
}
