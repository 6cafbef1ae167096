import { useEffect, useState } from "preact/hooks";
import { api, errorText } from "../api";
import { Alert, formatJson, formatTime, isFinal, PageTitle, StatusBadge } from "../components";
import { Link } from "../router";
import { openEventStream, type StreamState } from "../sse";
import type { Job } from "../types";

export function JobDetail({ id }: { id: string }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState("");
  const [live, setLive] = useState<StreamState>("connecting");
  const [cancelling, setCancelling] = useState(false);
  useEffect(() => {
    setJob(null);
    setError("");
    // The watch sends the job now and on every change; it ends once the job is final.
    return openEventStream(`/jobs/${id}/watch`, {
      onEvent(data, event) {
        if (event !== "message") return;
        const next = data as Job;
        setJob(next);
        return isFinal(next.status);
      },
      onState(state, e) {
        setLive(state);
        if (e) setError(errorText(e));
      },
    });
  }, [id]);
  const cancel = async () => {
    setCancelling(true);
    try {
      setJob(await api<Job>("POST", `/jobs/${id}/cancel`));
      setError("");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setCancelling(false);
    }
  };
  return (
    <>
      <p class="crumbs">
        <Link href="/ui/jobs">Jobs</Link> / #{id}
      </p>
      <PageTitle>
        Job #{id} {job && <StatusBadge status={job.status} />}
      </PageTitle>
      <p class="hint live" aria-live="polite">
        {liveText(live, job)}
      </p>
      {error && <Alert>{error}</Alert>}
      {job && (
        <>
          <div class="actions">
            <button type="button" class="danger" disabled={isFinal(job.status) || cancelling} onClick={cancel}>
              {cancelling ? "Cancelling…" : "Cancel job"}
            </button>
          </div>
          <dl class="facts">
            <dt>Name</dt>
            <dd>{job.job_name}</dd>
            <dt>Kind</dt>
            <dd>{job.kind || "–"}</dd>
            <dt>Attempts</dt>
            <dd>
              {job.attempts} of {job.max_attempts}
            </dd>
            <dt>Lease holder</dt>
            <dd>{job.worker_id ?? "–"}</dd>
            <dt>Lease expires</dt>
            <dd>{formatTime(job.lease_expires_at)}</dd>
            <dt>Created</dt>
            <dd>{formatTime(job.created_at)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(job.started_at)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(job.finished_at)}</dd>
          </dl>
          <h2>Payload</h2>
          <pre class="json">{formatJson(job.payload)}</pre>
          {job.error ? (
            <>
              <h2>Error</h2>
              <pre class="json error-text">{job.error}</pre>
            </>
          ) : (
            <>
              <h2>Result</h2>
              <pre class="json">{formatJson(job.result)}</pre>
            </>
          )}
        </>
      )}
    </>
  );
}

export function liveText(state: StreamState, item: { status: string } | null): string {
  if (item && isFinal(item.status)) return "Final: no more updates.";
  if (state === "live") return "Live: updates arrive as they happen.";
  if (state === "reconnecting") return "Reconnecting to live updates…";
  if (state === "ended") return "Live updates stopped.";
  return "Connecting…";
}
