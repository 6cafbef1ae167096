// A job or a pipeline on its detail page: the latest value from its event
// stream (which ends once the value is final), the stream's state, cancel, and
// retry (which brings a final value back to life, so the stream opens again).
import { useEffect, useState } from "preact/hooks";
import { api, errorText } from "./api";
import { isFinal } from "./components";
import { openEventStream, type StreamState } from "./sse";

export interface LiveResource<T> {
  value: T | null;
  live: StreamState;
  error: string;
  cancelling: boolean;
  cancel(): Promise<void>;
  retrying: boolean;
  /** POSTs `retryPath` (when given); the value it returns is shown and followed live again. */
  retry(): Promise<void>;
  /**
   * Another action that brings the value back to life (a pipeline's retry or re-run): its
   * answer is shown and followed live when `follow` says it is this resource; returned either way
   * (undefined when the call failed: the error is shown).
   */
  revive(call: () => Promise<T>, follow?: (next: T) => boolean): Promise<T | undefined>;
}

export function useLiveResource<T extends { status: string }>(
  streamPath: string,
  cancelPath: string,
  retryPath?: string,
): LiveResource<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState("");
  const [live, setLive] = useState<StreamState>("connecting");
  const [cancelling, setCancelling] = useState(false);
  const [retrying, setRetrying] = useState(false);
  // Bumped by a retry: the stream ended when the value became final, so it is opened again.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setValue(null);
    setError("");
  }, [streamPath]);
  useEffect(() => {
    return openEventStream(streamPath, {
      onEvent(data, event) {
        if (event !== "message") return;
        const next = data as T;
        setValue(next);
        return isFinal(next.status);
      },
      onState(state, e) {
        setLive(state);
        if (e) setError(errorText(e));
      },
    });
  }, [streamPath, generation]);
  const cancel = async () => {
    setCancelling(true);
    try {
      setValue(await api<T>("POST", cancelPath));
      setError("");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setCancelling(false);
    }
  };
  const revive = async (call: () => Promise<T>, follow: (next: T) => boolean = () => true) => {
    setRetrying(true);
    try {
      const next = await call();
      setError("");
      if (follow(next)) {
        setValue(next);
        setGeneration((n) => n + 1);
      }
      return next;
    } catch (e) {
      setError(errorText(e));
      return undefined;
    } finally {
      setRetrying(false);
    }
  };
  const retry = async () => {
    if (retryPath) await revive(() => api<T>("POST", retryPath));
  };
  return { value, live, error, cancelling, cancel, retrying, retry, revive };
}

/** What the live-updates line says. */
export function liveText(state: StreamState, item: { status: string } | null): string {
  if (item && isFinal(item.status)) return "Final: no more updates.";
  if (state === "live") return "Live: updates arrive as they happen.";
  if (state === "reconnecting") return "Reconnecting to live updates…";
  if (state === "ended") return "Live updates stopped.";
  return "Connecting…";
}
