// The job queue per kind, and per kind and named queue, from GET /jobs/stats: depth
// (PENDING), the oldest waiting job's age, running and dead-letter (FAILED) counts,
// links to the job list filtered by kind (and queue) and status, and "retry failed"
// for one kind (POST /jobs/retry).
import { MAX_RETRY_IDS } from "@platform/proto/rules";
import { useState } from "preact/hooks";
import { call, errorText, gateway, jobStats, retryJobs } from "../api";
import { Alert, PageTitle, ScrollRegion, useEvery } from "../components";
import { Link } from "../router";
import type { JobStats, KindStats, RetryResult } from "@platform/client";
import { jobsHref, retrySummary } from "./Jobs";

/** Jobs listed per request while collecting a kind's FAILED jobs. */
const LIST_PAGE = 100;
/** One click retries at most this many jobs (a few calls of MAX_RETRY_IDS). */
export const RETRY_KIND_LIMIT = 1_000;
/** One click reads at most this many pages of the kind's FAILED jobs. */
const SCAN_PAGES = 50;

/** The ids of FAILED jobs of `kind` (in list order, at most `limit`, from at most SCAN_PAGES pages). */
async function failedIdsOfKind(kind: string, limit: number): Promise<{ ids: number[]; more: boolean }> {
  const ids: number[] = [];
  let token = "";
  let pages = 0;
  do {
    pages++;
    const query = { status: "FAILED", kind, page_size: String(LIST_PAGE), ...(token ? { page_token: token } : {}) };
    const page = await call(gateway().jobs.get({ query }));
    for (const job of page.items) ids.push(job.id);
    token = page.next_page_token ?? "";
  } while (token && ids.length < limit && pages < SCAN_PAGES);
  return { ids: ids.slice(0, limit), more: ids.length > limit || token !== "" };
}

const age = (seconds: number | null) =>
  seconds === null ? "–" : seconds < 120 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`;

/** A count, linked to the job list of that kind (and queue) in that status when there is any. */
function Count({ n, status, kind, queue }: { n: number; status: string; kind: string; queue?: string }) {
  if (n === 0) return <>{n}</>;
  return (
    <Link href={jobsHref({ status, kind, queue })} class={status === "FAILED" ? "error-text" : undefined}>
      {n}
    </Link>
  );
}

/** The count cells of one row (per kind, or per kind and queue). */
function CountCells({ k, queue }: { k: KindStats; queue?: string }) {
  return (
    <>
      <td data-col="pending">
        <Count n={k.pending} status="PENDING" kind={k.kind} queue={queue} />
      </td>
      <td data-col="oldest">{age(k.oldest_pending_age_seconds)}</td>
      <td data-col="running">
        <Count n={k.running} status="RUNNING" kind={k.kind} queue={queue} />
      </td>
      <td data-col="failed">
        <Count n={k.failed} status="FAILED" kind={k.kind} queue={queue} />
      </td>
      <td data-col="succeeded">
        <Count n={k.succeeded} status="SUCCEEDED" kind={k.kind} queue={queue} />
      </td>
      <td data-col="cancelled">
        <Count n={k.cancelled} status="CANCELLED" kind={k.kind} queue={queue} />
      </td>
    </>
  );
}

const COUNT_HEADERS = ["Waiting", "Oldest waiting", "Running", "Failed", "Succeeded", "Cancelled"];

export function Queues() {
  const [stats, setStats] = useState<JobStats | null>(null);
  const [error, setError] = useState("");
  const [retrying, setRetrying] = useState("");
  const [note, setNote] = useState("");
  const [retryError, setRetryError] = useState("");
  const [reloads, setReloads] = useState(0);
  useEvery(5_000, () => {
    jobStats()
      .then((s) => {
        setStats(s);
        setError("");
      })
      .catch((e) => setError(errorText(e)));
  }, [reloads]);
  const retryKind = async (kind: string) => {
    setRetrying(kind);
    setNote("");
    setRetryError("");
    try {
      const { ids, more } = await failedIdsOfKind(kind, RETRY_KIND_LIMIT);
      const results: RetryResult[] = [];
      for (let i = 0; i < ids.length; i += MAX_RETRY_IDS)
        results.push(...(await retryJobs(ids.slice(i, i + MAX_RETRY_IDS))).results);
      const summary = results.length === 0 ? "No failed jobs to retry." : retrySummary(results);
      setNote(`${kind}: ${summary}${more ? " There may be more: retry again." : ""}`);
      setReloads((n) => n + 1);
    } catch (e) {
      setRetryError(errorText(e));
    } finally {
      setRetrying("");
    }
  };
  const totals = stats?.by_status;
  return (
    <>
      <PageTitle>Queues</PageTitle>
      <p class="hint" aria-live="polite">
        {stats ? "Refreshed every 5 s." : "Loading…"}
      </p>
      {error && <Alert>{error}</Alert>}
      {totals && (
        <dl class="facts totals">
          <dt>Waiting</dt>
          <dd data-total="PENDING">{totals.PENDING ?? 0}</dd>
          <dt>Running</dt>
          <dd data-total="RUNNING">{totals.RUNNING ?? 0}</dd>
          <dt>Failed (dead letter)</dt>
          <dd data-total="FAILED">{totals.FAILED ?? 0}</dd>
        </dl>
      )}
      {note && <Alert kind="info">{note}</Alert>}
      {retryError && <Alert>{retryError}</Alert>}
      {stats && stats.by_kind.length === 0 && <p>No jobs yet.</p>}
      {stats && stats.by_kind.length > 0 && (
        <ScrollRegion label="Queue by kind">
          <table data-table="queue">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                {COUNT_HEADERS.map((h) => (
                  <th scope="col">{h}</th>
                ))}
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {stats.by_kind.map((k) => (
                <tr key={k.kind} data-kind={k.kind}>
                  <td>{k.kind}</td>
                  <CountCells k={k} />
                  <td>
                    {k.failed > 0 && (
                      <button
                        type="button"
                        disabled={retrying !== ""}
                        aria-label={`Retry failed ${k.kind} jobs`}
                        onClick={() => retryKind(k.kind)}
                      >
                        {retrying === k.kind ? "Retrying…" : `Retry failed (${k.failed})`}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {stats && stats.by_queue.length > 0 && (
        <>
          <h2>By queue</h2>
          <ScrollRegion label="Queue by kind and queue">
            <table data-table="queues">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Queue</th>
                  {COUNT_HEADERS.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.by_queue.map((q) => (
                  <tr key={`${q.kind} ${q.queue}`} data-kind={q.kind} data-queue={q.queue}>
                    <td>{q.kind}</td>
                    <td>{q.queue}</td>
                    <CountCells k={q} queue={q.queue} />
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
      <p class="hint">
        Your jobs (an admin sees everyone's) per kind, and per kind and queue, from /jobs/stats. FAILED is the
        dead-letter state: a job's attempts are used up. The counts link to the job list of that kind (and queue) in
        that status; "Retry failed" puts the kind's FAILED jobs back to waiting, up to {RETRY_KIND_LIMIT} per click.
      </p>
    </>
  );
}
