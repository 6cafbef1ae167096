// Original file: users.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateUserRequest as _users_v1_CreateUserRequest, CreateUserRequest__Output as _users_v1_CreateUserRequest__Output } from '../../users/v1/CreateUserRequest';
import type { GetUserRequest as _users_v1_GetUserRequest, GetUserRequest__Output as _users_v1_GetUserRequest__Output } from '../../users/v1/GetUserRequest';
import type { ListUsersRequest as _users_v1_ListUsersRequest, ListUsersRequest__Output as _users_v1_ListUsersRequest__Output } from '../../users/v1/ListUsersRequest';
import type { ListUsersResponse as _users_v1_ListUsersResponse, ListUsersResponse__Output as _users_v1_ListUsersResponse__Output } from '../../users/v1/ListUsersResponse';
import type { User as _users_v1_User, User__Output as _users_v1_User__Output } from '../../users/v1/User';
import type { VerifyCredentialsRequest as _users_v1_VerifyCredentialsRequest, VerifyCredentialsRequest__Output as _users_v1_VerifyCredentialsRequest__Output } from '../../users/v1/VerifyCredentialsRequest';
import type { VerifyCredentialsResponse as _users_v1_VerifyCredentialsResponse, VerifyCredentialsResponse__Output as _users_v1_VerifyCredentialsResponse__Output } from '../../users/v1/VerifyCredentialsResponse';

/**
 * Users owns the accounts of the platform.
 */
export interface UsersServiceClient extends grpc.Client {
  /**
   * Creates a user. An id of 0 lets the service assign one.
   */
  CreateUser(argument: _users_v1_CreateUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _users_v1_CreateUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _users_v1_CreateUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _users_v1_CreateUserRequest, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a user. An id of 0 lets the service assign one.
   */
  createUser(argument: _users_v1_CreateUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _users_v1_CreateUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _users_v1_CreateUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _users_v1_CreateUserRequest, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  
  GetUser(argument: _users_v1_GetUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _users_v1_GetUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _users_v1_GetUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _users_v1_GetUserRequest, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _users_v1_GetUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _users_v1_GetUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _users_v1_GetUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _users_v1_GetUserRequest, callback: grpc.requestCallback<_users_v1_User__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists users in ascending id order, one page at a time.
   */
  ListUsers(argument: _users_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _users_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _users_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _users_v1_ListUsersRequest, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists users in ascending id order, one page at a time.
   */
  listUsers(argument: _users_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _users_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _users_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _users_v1_ListUsersRequest, callback: grpc.requestCallback<_users_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Checks an email (any letter case) and a password. Never NOT_FOUND: an unknown
   * email gets the same answer, after the same work, as a wrong password.
   */
  VerifyCredentials(argument: _users_v1_VerifyCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  VerifyCredentials(argument: _users_v1_VerifyCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  VerifyCredentials(argument: _users_v1_VerifyCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  VerifyCredentials(argument: _users_v1_VerifyCredentialsRequest, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Checks an email (any letter case) and a password. Never NOT_FOUND: an unknown
   * email gets the same answer, after the same work, as a wrong password.
   */
  verifyCredentials(argument: _users_v1_VerifyCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  verifyCredentials(argument: _users_v1_VerifyCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  verifyCredentials(argument: _users_v1_VerifyCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  verifyCredentials(argument: _users_v1_VerifyCredentialsRequest, callback: grpc.requestCallback<_users_v1_VerifyCredentialsResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Users owns the accounts of the platform.
 */
export interface UsersServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates a user. An id of 0 lets the service assign one.
   */
  CreateUser: grpc.handleUnaryCall<_users_v1_CreateUserRequest__Output, _users_v1_User>;
  
  GetUser: grpc.handleUnaryCall<_users_v1_GetUserRequest__Output, _users_v1_User>;
  
  /**
   * Lists users in ascending id order, one page at a time.
   */
  ListUsers: grpc.handleUnaryCall<_users_v1_ListUsersRequest__Output, _users_v1_ListUsersResponse>;
  
  /**
   * Checks an email (any letter case) and a password. Never NOT_FOUND: an unknown
   * email gets the same answer, after the same work, as a wrong password.
   */
  VerifyCredentials: grpc.handleUnaryCall<_users_v1_VerifyCredentialsRequest__Output, _users_v1_VerifyCredentialsResponse>;
  
}

export interface UsersServiceDefinition extends grpc.ServiceDefinition {
  CreateUser: MethodDefinition<_users_v1_CreateUserRequest, _users_v1_User, _users_v1_CreateUserRequest__Output, _users_v1_User__Output>
  GetUser: MethodDefinition<_users_v1_GetUserRequest, _users_v1_User, _users_v1_GetUserRequest__Output, _users_v1_User__Output>
  ListUsers: MethodDefinition<_users_v1_ListUsersRequest, _users_v1_ListUsersResponse, _users_v1_ListUsersRequest__Output, _users_v1_ListUsersResponse__Output>
  VerifyCredentials: MethodDefinition<_users_v1_VerifyCredentialsRequest, _users_v1_VerifyCredentialsResponse, _users_v1_VerifyCredentialsRequest__Output, _users_v1_VerifyCredentialsResponse__Output>
}
