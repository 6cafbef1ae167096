import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AdmitLoginRequest as _users_v1_AdmitLoginRequest, AdmitLoginRequest__Output as _users_v1_AdmitLoginRequest__Output } from './users/v1/AdmitLoginRequest';
import type { AdmitLoginResponse as _users_v1_AdmitLoginResponse, AdmitLoginResponse__Output as _users_v1_AdmitLoginResponse__Output } from './users/v1/AdmitLoginResponse';
import type { CreateUserRequest as _users_v1_CreateUserRequest, CreateUserRequest__Output as _users_v1_CreateUserRequest__Output } from './users/v1/CreateUserRequest';
import type { GetUserRequest as _users_v1_GetUserRequest, GetUserRequest__Output as _users_v1_GetUserRequest__Output } from './users/v1/GetUserRequest';
import type { ListUsersRequest as _users_v1_ListUsersRequest, ListUsersRequest__Output as _users_v1_ListUsersRequest__Output } from './users/v1/ListUsersRequest';
import type { ListUsersResponse as _users_v1_ListUsersResponse, ListUsersResponse__Output as _users_v1_ListUsersResponse__Output } from './users/v1/ListUsersResponse';
import type { LoginThrottleLimits as _users_v1_LoginThrottleLimits, LoginThrottleLimits__Output as _users_v1_LoginThrottleLimits__Output } from './users/v1/LoginThrottleLimits';
import type { RecordLoginResultRequest as _users_v1_RecordLoginResultRequest, RecordLoginResultRequest__Output as _users_v1_RecordLoginResultRequest__Output } from './users/v1/RecordLoginResultRequest';
import type { RecordLoginResultResponse as _users_v1_RecordLoginResultResponse, RecordLoginResultResponse__Output as _users_v1_RecordLoginResultResponse__Output } from './users/v1/RecordLoginResultResponse';
import type { User as _users_v1_User, User__Output as _users_v1_User__Output } from './users/v1/User';
import type { UsersServiceClient as _users_v1_UsersServiceClient, UsersServiceDefinition as _users_v1_UsersServiceDefinition } from './users/v1/UsersService';
import type { VerifyCredentialsRequest as _users_v1_VerifyCredentialsRequest, VerifyCredentialsRequest__Output as _users_v1_VerifyCredentialsRequest__Output } from './users/v1/VerifyCredentialsRequest';
import type { VerifyCredentialsResponse as _users_v1_VerifyCredentialsResponse, VerifyCredentialsResponse__Output as _users_v1_VerifyCredentialsResponse__Output } from './users/v1/VerifyCredentialsResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  users: {
    v1: {
      AdmitLoginRequest: MessageTypeDefinition<_users_v1_AdmitLoginRequest, _users_v1_AdmitLoginRequest__Output>
      AdmitLoginResponse: MessageTypeDefinition<_users_v1_AdmitLoginResponse, _users_v1_AdmitLoginResponse__Output>
      CreateUserRequest: MessageTypeDefinition<_users_v1_CreateUserRequest, _users_v1_CreateUserRequest__Output>
      GetUserRequest: MessageTypeDefinition<_users_v1_GetUserRequest, _users_v1_GetUserRequest__Output>
      ListUsersRequest: MessageTypeDefinition<_users_v1_ListUsersRequest, _users_v1_ListUsersRequest__Output>
      ListUsersResponse: MessageTypeDefinition<_users_v1_ListUsersResponse, _users_v1_ListUsersResponse__Output>
      LoginThrottleLimits: MessageTypeDefinition<_users_v1_LoginThrottleLimits, _users_v1_LoginThrottleLimits__Output>
      RecordLoginResultRequest: MessageTypeDefinition<_users_v1_RecordLoginResultRequest, _users_v1_RecordLoginResultRequest__Output>
      RecordLoginResultResponse: MessageTypeDefinition<_users_v1_RecordLoginResultResponse, _users_v1_RecordLoginResultResponse__Output>
      Role: EnumTypeDefinition
      User: MessageTypeDefinition<_users_v1_User, _users_v1_User__Output>
      /**
       * Users owns the accounts of the platform.
       */
      UsersService: SubtypeConstructor<typeof grpc.Client, _users_v1_UsersServiceClient> & { service: _users_v1_UsersServiceDefinition }
      VerifyCredentialsRequest: MessageTypeDefinition<_users_v1_VerifyCredentialsRequest, _users_v1_VerifyCredentialsRequest__Output>
      VerifyCredentialsResponse: MessageTypeDefinition<_users_v1_VerifyCredentialsResponse, _users_v1_VerifyCredentialsResponse__Output>
    }
  }
}

