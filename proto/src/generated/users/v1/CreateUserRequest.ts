// Original file: users.proto

import type { Role as _users_v1_Role, Role__Output as _users_v1_Role__Output } from '../../users/v1/Role';
import type { Long } from '@grpc/proto-loader';

export interface CreateUserRequest {
  /**
   * 0 (unset): the service assigns the next free id.
   */
  'id'?: (number | string | Long);
  'name'?: (string);
  'email'?: (string);
  /**
   * Write-only: stored as an argon2id hash, never returned or logged.
   * Absent: the user cannot log in with a password.
   */
  'password'?: (string);
  /**
   * Empty: [ROLE_USER].
   */
  'roles'?: (_users_v1_Role)[];
  '_password'?: "password";
}

export interface CreateUserRequest__Output {
  /**
   * 0 (unset): the service assigns the next free id.
   */
  'id': (string);
  'name': (string);
  'email': (string);
  /**
   * Write-only: stored as an argon2id hash, never returned or logged.
   * Absent: the user cannot log in with a password.
   */
  'password'?: (string);
  /**
   * Empty: [ROLE_USER].
   */
  'roles': (_users_v1_Role__Output)[];
  '_password'?: "password";
}
