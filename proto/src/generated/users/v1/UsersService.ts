// Original file: users.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AdmitLoginRequest as _users_v1_AdmitLoginRequest, AdmitLoginRequest__Output as _users_v1_AdmitLoginRequest__Output } from '../../users/v1/AdmitLoginRequest';
import type { AdmitLoginResponse as _users_v1_AdmitLoginResponse, AdmitLoginResponse__Output as _users_v1_AdmitLoginResponse__Output } from '../../users/v1/AdmitLoginResponse';
import type { CreateUserRequest as _users_v1_CreateUserRequest, CreateUserRequest__Output as _users_v1_CreateUserRequest__Output } from '../../users/v1/CreateUserRequest';
import type { GetUserRequest as _users_v1_GetUserRequest, GetUserRequest__Output as _users_v1_GetUserRequest__Output } from '../../users/v1/GetUserRequest';
import type { ListUsersRequest as _users_v1_ListUsersRequest, ListUsersRequest__Output as _users_v1_ListUsersRequest__Output } from '../../users/v1/ListUsersRequest';
import type { ListUsersResponse as _users_v1_ListUsersResponse, ListUsersResponse__Output as _users_v1_ListUsersResponse__Output } from '../../users/v1/ListUsersResponse';
import type { RecordLoginResultRequest as _users_v1_RecordLoginResultRequest, RecordLoginResultRequest__Output as _users_v1_RecordLoginResultRequest__Output } from '../../users/v1/RecordLoginResultRequest';
import type { RecordLoginResultResponse as _users_v1_RecordLoginResultResponse, RecordLoginResultResponse__Output as _users_v1_RecordLoginResultResponse__Output } from '../../users/v1/RecordLoginResultResponse';
import type { User as _users_v1_User, User__Output as _users_v1_User__Output } from '../../users/v1/User';
import type { VerifyCredentialsRequest as _users_v1_VerifyCredentialsRequest, VerifyCredentialsRequest__Output as _users_v1_VerifyCredentialsRequest__Output } from '../../users/v1/VerifyCredentialsRequest';
import type { VerifyCredentialsResponse as _users_v1_VerifyCredentialsResponse, VerifyCredentialsResponse__Output as _users_v1_VerifyCredentialsResponse__Output } from '../../users/v1/VerifyCredentialsResponse';

/**
 * Users owns the accounts of the platform.
 */
export interface UsersServiceClient extends grpc.Client {
  /**
   * The login throttle, shared by every gateway replica: counts one login attempt
   * from an address and says whether it may go ahead (the address and the
   * username are both within their budgets in the current window).
   */
  AdmitLogin(argument: _users_v1_AdmitLoginRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  AdmitLogin(argument: _users_v1_AdmitLoginRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  AdmitLogin(argument: _users_v1_AdmitLoginRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  AdmitLogin(argument: _users_v1_AdmitLoginRequest, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The login throttle, shared by every gateway replica: counts one login attempt
   * from an address and says whether it may go ahead (the address and the
   * username are both within their budgets in the current window).
   */
  admitLogin(argument: _users_v1_AdmitLoginRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  admitLogin(argument: _users_v1_AdmitLoginRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  admitLogin(argument: _users_v1_AdmitLoginRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  admitLogin(argument: _users_v1_AdmitLoginRequest, callback: grpc.requestCallback<_users_v1_AdmitLoginResponse__Output>): grpc.ClientUnaryCall;
  
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
   * Records how an admitted login ended: a failure counts against the username,
   * a success clears its failures.
   */
  RecordLoginResult(argument: _users_v1_RecordLoginResultRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  RecordLoginResult(argument: _users_v1_RecordLoginResultRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  RecordLoginResult(argument: _users_v1_RecordLoginResultRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  RecordLoginResult(argument: _users_v1_RecordLoginResultRequest, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records how an admitted login ended: a failure counts against the username,
   * a success clears its failures.
   */
  recordLoginResult(argument: _users_v1_RecordLoginResultRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  recordLoginResult(argument: _users_v1_RecordLoginResultRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  recordLoginResult(argument: _users_v1_RecordLoginResultRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  recordLoginResult(argument: _users_v1_RecordLoginResultRequest, callback: grpc.requestCallback<_users_v1_RecordLoginResultResponse__Output>): grpc.ClientUnaryCall;
  
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
   * The login throttle, shared by every gateway replica: counts one login attempt
   * from an address and says whether it may go ahead (the address and the
   * username are both within their budgets in the current window).
   */
  AdmitLogin: grpc.handleUnaryCall<_users_v1_AdmitLoginRequest__Output, _users_v1_AdmitLoginResponse>;
  
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
   * Records how an admitted login ended: a failure counts against the username,
   * a success clears its failures.
   */
  RecordLoginResult: grpc.handleUnaryCall<_users_v1_RecordLoginResultRequest__Output, _users_v1_RecordLoginResultResponse>;
  
  /**
   * Checks an email (any letter case) and a password. Never NOT_FOUND: an unknown
   * email gets the same answer, after the same work, as a wrong password.
   */
  VerifyCredentials: grpc.handleUnaryCall<_users_v1_VerifyCredentialsRequest__Output, _users_v1_VerifyCredentialsResponse>;
  
}

export interface UsersServiceDefinition extends grpc.ServiceDefinition {
  AdmitLogin: MethodDefinition<_users_v1_AdmitLoginRequest, _users_v1_AdmitLoginResponse, _users_v1_AdmitLoginRequest__Output, _users_v1_AdmitLoginResponse__Output>
  CreateUser: MethodDefinition<_users_v1_CreateUserRequest, _users_v1_User, _users_v1_CreateUserRequest__Output, _users_v1_User__Output>
  GetUser: MethodDefinition<_users_v1_GetUserRequest, _users_v1_User, _users_v1_GetUserRequest__Output, _users_v1_User__Output>
  ListUsers: MethodDefinition<_users_v1_ListUsersRequest, _users_v1_ListUsersResponse, _users_v1_ListUsersRequest__Output, _users_v1_ListUsersResponse__Output>
  RecordLoginResult: MethodDefinition<_users_v1_RecordLoginResultRequest, _users_v1_RecordLoginResultResponse, _users_v1_RecordLoginResultRequest__Output, _users_v1_RecordLoginResultResponse__Output>
  VerifyCredentials: MethodDefinition<_users_v1_VerifyCredentialsRequest, _users_v1_VerifyCredentialsResponse, _users_v1_VerifyCredentialsRequest__Output, _users_v1_VerifyCredentialsResponse__Output>
}
