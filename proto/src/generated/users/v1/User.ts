// Original file: users.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Role as _users_v1_Role, Role__Output as _users_v1_Role__Output } from '../../users/v1/Role';
import type { Long } from '@grpc/proto-loader';

export interface User {
  'id'?: (number | string | Long);
  'name'?: (string);
  'email'?: (string);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'roles'?: (_users_v1_Role)[];
}

export interface User__Output {
  'id': (string);
  'name': (string);
  'email': (string);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'roles': (_users_v1_Role__Output)[];
}
