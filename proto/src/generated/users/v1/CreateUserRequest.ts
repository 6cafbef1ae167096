// Original file: users.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateUserRequest {
  /**
   * 0 (unset): the service assigns the next free id.
   */
  'id'?: (number | string | Long);
  'name'?: (string);
  'email'?: (string);
}

export interface CreateUserRequest__Output {
  /**
   * 0 (unset): the service assigns the next free id.
   */
  'id': (string);
  'name': (string);
  'email': (string);
}
