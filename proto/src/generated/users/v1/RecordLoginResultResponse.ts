// Original file: users.proto


export interface RecordLoginResultResponse {
}

export interface RecordLoginResultResponse__Output {
}
