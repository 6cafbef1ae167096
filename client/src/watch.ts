// Following a job or a pipeline until it is final, over the gateway's
// server-sent events (GET /jobs/{id}/watch, GET /pipelines/{id}/watch). Eden
// reads the stream; this yields each state, and reconnects when a stream ends
// (or breaks) before the resource is final: a stream has a maximum life on the
// server, and a proxy or a gateway replica may go away under it.
import { FINAL_JOB_STATUSES, FINAL_PIPELINE_STATUSES, FINAL_STEP_STATUSES } from "@platform/proto/enums";
import { type Api, type TreatyResult, toError } from "./api";
import type { Job, Pipeline } from "./models";
import { ApiError } from "./problem";

export interface WatchOptions {
  /** Ends the watch (the generator returns). */
  signal?: AbortSignal;
  /** Broken streams in a row without a new event before giving up with the last error. Default 5. */
  maxReconnects?: number;
  /** Wait before reconnecting, in ms. Default 1000. */
  reconnectDelayMs?: number;
}

/** The server ended a stream with an `error` event (it could not follow the resource any further). */
export class WatchInterrupted extends Error {
  override readonly name = "WatchInterrupted";
}

interface Frame {
  event?: string;
  data?: unknown;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<Frame> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

/** The events of one stream: each `data` as T; an `error` event throws WatchInterrupted. */
export async function* streamEvents<T>(call: Promise<TreatyResult<unknown>>): AsyncGenerator<T> {
  const result = await call;
  if (result.error || !result.response) throw toError(result);
  if (!isAsyncIterable(result.data)) throw new WatchInterrupted("the answer was not an event stream");
  for await (const frame of result.data) {
    if (frame.event === "error") {
      const detail = (frame.data as { detail?: unknown } | undefined)?.detail;
      throw new WatchInterrupted(typeof detail === "string" ? detail : "the stream ended with an error");
    }
    if (frame.data !== undefined && frame.data !== null && typeof frame.data === "object") yield frame.data as T;
  }
}

const includes = (list: readonly string[], value: string) => list.includes(value);
export const isFinalJob = (job: Pick<Job, "status">) => includes(FINAL_JOB_STATUSES, job.status);
export const isFinalPipeline = (pipeline: Pick<Pipeline, "status" | "steps">) =>
  includes(FINAL_PIPELINE_STATUSES, pipeline.status) &&
  pipeline.steps.every((step) => includes(FINAL_STEP_STATUSES, step.status));

/**
 * Yields the resource now and after every change until `isFinal` says it is done,
 * opening a new stream whenever one ends early (a state already yielded is not
 * yielded again). A refusal (4xx: unknown id, bad token) is thrown at once;
 * streams that keep breaking without news, after maxReconnects tries.
 */
export async function* follow<T>(
  open: (signal: AbortSignal) => Promise<TreatyResult<unknown>>,
  isFinal: (value: T) => boolean,
  options: WatchOptions = {},
): AsyncGenerator<T> {
  const maxReconnects = options.maxReconnects ?? 5;
  const delayMs = options.reconnectDelayMs ?? 1000;
  // A signal of its own, so the client's call timeout does not cut a long watch short.
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener("abort", stop);
  let failures = 0;
  let last: string | undefined;
  try {
    for (;;) {
      let lastError: unknown;
      try {
        for await (const value of streamEvents<T>(open(controller.signal))) {
          // A new stream starts with the state now: only a change is news (and proof of progress).
          const text = JSON.stringify(value);
          if (text === last) continue;
          last = text;
          failures = 0;
          yield value;
          if (isFinal(value)) return;
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status < 500 && error.status !== 408 && error.status !== 429)
          throw error;
        lastError = error;
      }
      if (controller.signal.aborted) return;
      // A stream the server ended cleanly (its maximum life) is no failure: a quiet job may wait for hours.
      if (lastError !== undefined && ++failures > maxReconnects) throw lastError;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
    stop();
  }
}

/** A job now and after every change, until it is SUCCEEDED, FAILED or CANCELLED. */
export const watchJob = (api: Api, id: number, options?: WatchOptions): AsyncGenerator<Job> =>
  follow<Job>((signal) => api.jobs({ id }).watch.get({ fetch: { signal } }), isFinalJob, options);

/** A pipeline now and after every change (its steps following their jobs), until it and its steps are final. */
export const watchPipeline = (api: Api, id: number, options?: WatchOptions): AsyncGenerator<Pipeline> =>
  follow<Pipeline>((signal) => api.pipelines({ id }).watch.get({ fetch: { signal } }), isFinalPipeline, options);
