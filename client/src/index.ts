// @platform/client: the gateway's HTTP API as a typed client (Eden treaty over the
// gateway's own route declarations), typed errors for problem+json answers, and
// watches over server-sent events. Browser-safe: no node-only imports here; the
// CLI and its config file are the separate entry `@platform/client/cli`.
export { type Api, type ClientOptions, createApi, DEFAULT_TIMEOUT_MS, normalizeBaseUrl, toError, unwrap } from "./api";
export type * from "./models";
export { ApiError, type FieldError, NetworkError, type Problem, toProblem } from "./problem";
export {
  follow,
  isFinalJob,
  isFinalPipeline,
  streamEvents,
  type WatchOptions,
  WatchInterrupted,
  watchJob,
  watchPipeline,
} from "./watch";
