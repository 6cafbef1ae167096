/** The contract files, relative to the proto package root. */
export const PROTO_FILES = ["users.proto", "jobs.proto", "pipelines.proto"] as const;
