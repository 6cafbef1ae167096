// Original file: users.proto

/**
 * What a user may do; the gateway's authorization rules interpret them.
 */
export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_ADMIN: 'ROLE_ADMIN',
  ROLE_USER: 'ROLE_USER',
  /**
   * Runs the worker protocol (claim, heartbeat, complete, fail) and nothing else.
   */
  ROLE_WORKER: 'ROLE_WORKER',
} as const;

/**
 * What a user may do; the gateway's authorization rules interpret them.
 */
export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_ADMIN'
  | 1
  | 'ROLE_USER'
  | 2
  /**
   * Runs the worker protocol (claim, heartbeat, complete, fail) and nothing else.
   */
  | 'ROLE_WORKER'
  | 3

/**
 * What a user may do; the gateway's authorization rules interpret them.
 */
export type Role__Output = typeof Role[keyof typeof Role]
