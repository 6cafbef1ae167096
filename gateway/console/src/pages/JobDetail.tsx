import { Alert, formatJson, formatTime, isFinal, PageTitle, StatusBadge } from "../components";
import { Link } from "../router";
import { liveText, useLiveResource } from "../liveResource";
import type { Job } from "@platform/client";
import { call, gateway } from "../api";

export function JobDetail({ id }: { id: string }) {
  const {
    value: job,
    live,
    error,
    cancelling,
    cancel,
    retrying,
    retry,
  } = useLiveResource<Job>(id, {
    stream: (signal) => gateway().jobs({ id }).watch.get({ fetch: { signal } }),
    cancel: () => call(gateway().jobs({ id }).cancel.post()),
    retry: () => call(gateway().jobs({ id }).retry.post()),
  });
  const retryable = job?.status === "FAILED" || job?.status === "CANCELLED";
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
            {retryable && (
              <button type="button" disabled={retrying} onClick={retry}>
                {retrying ? "Retrying…" : "Retry job"}
              </button>
            )}
          </div>
          <dl class="facts">
            <dt>Name</dt>
            <dd>{job.job_name}</dd>
            <dt>Kind</dt>
            <dd>{job.kind || "–"}</dd>
            <dt>Owner</dt>
            <dd>{job.owner}</dd>
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
