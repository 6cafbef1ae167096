// The job kinds of the reference worker (`bun run worker`), registered through
// the SDK's public API like any user's. A kind is a name looked up in the
// worker's table: job input is data for a handler, never a command, path or script.
import type { Handler, Worker } from "./worker";

export class JobFailure extends Error {}

/** Sleeps are capped, so a payload cannot park a worker for days. */
export const MAX_SLEEP_MS = 10 * 60_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new JobFailure("aborted"));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new JobFailure("aborted"));
    });
  });
}

export const BUILT_IN_KINDS: Record<string, Handler<unknown, unknown>> = {
  /** Does nothing: the kind of jobs created without one. */
  noop: async () => null,
  /** The result is the payload. */
  echo: async (payload) => payload,
  /** Payload {"ms": n}: waits n milliseconds (at most ten minutes). */
  sleep: async (payload, { signal }) => {
    const ms = typeof payload === "object" && payload !== null ? (payload as { ms?: unknown }).ms : undefined;
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
      throw new JobFailure('sleep needs a payload like {"ms": 1000}');
    await sleep(Math.min(ms, MAX_SLEEP_MS), signal);
    return { slept_ms: Math.min(ms, MAX_SLEEP_MS) };
  },
  /** Always fails: for testing retries and failing pipelines. */
  fail: async (payload) => {
    throw new JobFailure(typeof payload === "string" && payload !== "" ? payload : "the fail kind always fails");
  },
};

/** Registers the built-in kinds on `worker` with its public `handle`. */
export function handleBuiltInKinds(worker: Worker): Worker {
  for (const [kind, handler] of Object.entries(BUILT_IN_KINDS)) worker.handle(kind, handler);
  return worker;
}
