/** The contract files, relative to the proto package root. */
export const PROTO_FILES = ["users.proto", "jobs.proto", "pipelines.proto"] as const;

/** Fully qualified service names, as health checks and reflection know them. */
export const SERVICE_NAMES = {
  users: "users.v1.UsersService",
  jobs: "jobs.v1.JobsService",
  pipelines: "pipelines.v1.PipelinesService",
} as const;
