// Original file: users.proto

import type { Long } from '@grpc/proto-loader';

export interface AdmitLoginResponse {
  'allowed'?: (boolean);
  /**
   * Set when not allowed: when the budget that refused it is renewed.
   */
  'retry_after_ms'?: (number | string | Long);
}

export interface AdmitLoginResponse__Output {
  'allowed': (boolean);
  /**
   * Set when not allowed: when the budget that refused it is renewed.
   */
  'retry_after_ms': (string);
}
