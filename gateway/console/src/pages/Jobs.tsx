import { useState } from "preact/hooks";
import { errorText, retryJobs } from "../api";
import { Alert, formatTime, Pager, PageTitle, ScrollRegion, StatusBadge } from "../components";
import { usePagedList } from "../pagedList";
import { Link, navigate } from "../router";
import { JOB_STATUSES, type Job, type RetryResult } from "../types";

/** What a bulk retry did, in one line. */
export function retrySummary(results: RetryResult[]): string {
  const retried = results.filter((r) => r.outcome === "retried").length;
  const others = results
    .filter((r) => r.outcome !== "retried")
    .map((r) => `#${r.id}: ${r.detail || r.outcome.replace("_", " ")}`);
  return [`Retried ${retried} of ${results.length}.`, ...others].join(" ");
}

/** The job list's filters; an empty one: any. */
export interface JobFilters {
  status?: string;
  kind?: string;
  queue?: string;
}

/** The console's job list with these filters (the links of the Queues page). */
export function jobsHref(filters: JobFilters): string {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value) as [string, string][]);
  return query.size > 0 ? `/ui/jobs?${query}` : "/ui/jobs";
}

export function Jobs({ status, kind = "", queue = "" }: { status: string; kind?: string; queue?: string }) {
  const { page, error, pager, reset, reload } = usePagedList<Job>("/jobs/", { filters: { status, kind, queue } });
  // Bulk retry, on the list of FAILED jobs (POST /jobs/retry).
  const bulk = status === "FAILED";
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [retrying, setRetrying] = useState(false);
  const [retryNote, setRetryNote] = useState("");
  const [retryError, setRetryError] = useState("");
  const retry = async (ids: number[]) => {
    setRetrying(true);
    setRetryNote("");
    setRetryError("");
    try {
      const { results } = await retryJobs(ids);
      setRetryNote(retrySummary(results));
      setSelected(new Set());
      reload();
    } catch (e) {
      setRetryError(errorText(e));
    } finally {
      setRetrying(false);
    }
  };
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const onPage = page?.items.map((job) => job.id) ?? [];
  return (
    <>
      <PageTitle>Jobs</PageTitle>
      <div class="toolbar">
        <label for="status-filter">Status</label>
        <select
          id="status-filter"
          value={status}
          onChange={(e) => {
            const value = (e.currentTarget as HTMLSelectElement).value;
            reset();
            setSelected(new Set());
            setRetryNote("");
            setRetryError("");
            navigate(jobsHref({ status: value, kind, queue }), true);
          }}
        >
          <option value="">All</option>
          {JOB_STATUSES.map((s) => (
            <option value={s}>{s.toLowerCase()}</option>
          ))}
        </select>
        {(kind || queue) && (
          <p class="hint" data-filter="kind-queue">
            {kind && <>Kind {kind}</>}
            {kind && queue && " · "}
            {queue && <>Queue {queue}</>} (<Link href={jobsHref({ status })}>any kind and queue</Link>)
          </p>
        )}
        <p class="hint" aria-live="polite">
          {page ? `${page.items.length} on this page · refreshed every 5 s` : "Loading…"}
        </p>
      </div>
      {bulk && (
        <div class="actions">
          <button
            type="button"
            disabled={retrying || selected.size === 0}
            onClick={() => retry(onPage.filter((id) => selected.has(id)))}
          >
            {retrying ? "Retrying…" : `Retry selected (${selected.size})`}
          </button>
          <button type="button" disabled={retrying || onPage.length === 0} onClick={() => retry(onPage)}>
            Retry all failed on this page
          </button>
        </div>
      )}
      {retryNote && <Alert kind="info">{retryNote}</Alert>}
      {retryError && <Alert>{retryError}</Alert>}
      {error && <Alert>{error}</Alert>}
      <ScrollRegion label="Jobs table">
        <table>
          <thead>
            <tr>
              {bulk && <th scope="col">Select</th>}
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Queue</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((job) => (
              <tr key={job.id} data-job={job.id}>
                {bulk && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select job #${job.id}`}
                      checked={selected.has(job.id)}
                      onChange={(e) => toggle(job.id, (e.currentTarget as HTMLInputElement).checked)}
                    />
                  </td>
                )}
                <td>
                  <Link href={`/ui/jobs/${job.id}`}>#{job.id}</Link>
                </td>
                <td>{job.job_name}</td>
                <td>{job.kind || "–"}</td>
                <td>{job.queue}</td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td>
                  {job.attempts}/{job.max_attempts}
                </td>
                <td>{formatTime(job.updated_at)}</td>
              </tr>
            ))}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={bulk ? 8 : 7}>No jobs{status ? ` with status ${status.toLowerCase()}` : ""}.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <Pager label="Jobs" {...pager} />
    </>
  );
}
