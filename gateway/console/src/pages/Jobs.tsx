import { Alert, formatTime, Pager, PageTitle, ScrollRegion, StatusBadge } from "../components";
import { usePagedList } from "../pagedList";
import { Link, navigate } from "../router";
import { JOB_STATUSES, type Job } from "../types";

export function Jobs({ status }: { status: string }) {
  const { page, error, pager, reset } = usePagedList<Job>("/jobs/", { filters: { status } });
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
            navigate(value ? `/ui/jobs?status=${value}` : "/ui/jobs", true);
          }}
        >
          <option value="">All</option>
          {JOB_STATUSES.map((s) => (
            <option value={s}>{s.toLowerCase()}</option>
          ))}
        </select>
        <p class="hint" aria-live="polite">
          {page ? `${page.items.length} on this page · refreshed every 5 s` : "Loading…"}
        </p>
      </div>
      {error && <Alert>{error}</Alert>}
      <ScrollRegion label="Jobs table">
        <table>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((job) => (
              <tr key={job.id}>
                <td>
                  <Link href={`/ui/jobs/${job.id}`}>#{job.id}</Link>
                </td>
                <td>{job.job_name}</td>
                <td>{job.kind || "–"}</td>
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
                <td colSpan={6}>No jobs{status ? ` with status ${status.toLowerCase()}` : ""}.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <Pager label="Jobs" {...pager} />
    </>
  );
}
