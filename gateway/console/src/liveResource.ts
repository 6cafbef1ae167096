// A job or a pipeline on its detail page: the latest value from its event
// stream (which ends once the value is final), the stream's state, and cancel.
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
}

export function useLiveResource<T extends { status: string }>(streamPath: string, cancelPath: string): LiveResource<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState("");
  const [live, setLive] = useState<StreamState>("connecting");
  const [cancelling, setCancelling] = useState(false);
  useEffect(() => {
    setValue(null);
    setError("");
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
  }, [streamPath]);
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
  return { value, live, error, cancelling, cancel };
}

/** What the live-updates line says. */
export function liveText(state: StreamState, item: { status: string } | null): string {
  if (item && isFinal(item.status)) return "Final: no more updates.";
  if (state === "live") return "Live: updates arrive as they happen.";
  if (state === "reconnecting") return "Reconnecting to live updates…";
  if (state === "ended") return "Live updates stopped.";
  return "Connecting…";
}
