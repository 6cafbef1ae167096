// Original file: users.proto


export interface VerifyCredentialsRequest {
  'email'?: (string);
  'password'?: (string);
}

export interface VerifyCredentialsRequest__Output {
  'email': (string);
  'password': (string);
}
