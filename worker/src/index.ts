// @platform/worker: the worker SDK. See worker/README.md for an example and the API.
export {
  createWorker,
  LeaseLost,
  Worker,
  WorkerStopped,
  type Handler,
  type JobContext,
  type JobInfo,
  type PayloadSchema,
  type WorkerHooks,
  type WorkerOptions,
} from "./worker";
export { BUILT_IN_KINDS, handleBuiltInKinds, JobFailure, MAX_SLEEP_MS } from "./kinds";
