import { useState } from "preact/hooks";
import { rerunPipeline, retryPipeline } from "../api";
import { Alert, DagView, formatTime, isFinal, PageTitle, ScrollRegion, StatusBadge } from "../components";
import { Link, navigate } from "../router";
import { liveText, useLiveResource } from "../liveResource";
import type { Pipeline } from "../types";

export function PipelineDetail({ id }: { id: string }) {
  const {
    value: pipeline,
    live,
    error,
    cancelling,
    cancel,
    retrying,
    revive,
  } = useLiveResource<Pipeline>(`/ui/api/pipelines/${id}/events`, `/pipelines/${id}/cancel`);
  const [action, setAction] = useState<"retry" | "rerun" | "">("");
  /** Retry or re-run: the pipeline it answers is followed live here, or opened when it is another one. */
  const restart = async (which: "retry" | "rerun") => {
    setAction(which);
    const sameHere = (p: Pipeline) => String(p.id) === id;
    const next = await revive(() => (which === "retry" ? retryPipeline(id) : rerunPipeline(id)), sameHere);
    setAction("");
    if (next && !sameHere(next)) navigate(`/ui/pipelines/${next.id}`);
  };
  const restartable = pipeline?.status === "FAILED" || pipeline?.status === "CANCELLED";
  return (
    <>
      <p class="crumbs">
        <Link href="/ui/pipelines">Pipelines</Link> / #{id}
      </p>
      <PageTitle>
        {pipeline ? pipeline.pipeline_name : `Pipeline #${id}`} {pipeline && <StatusBadge status={pipeline.status} />}
      </PageTitle>
      <p class="hint live" aria-live="polite">
        {liveText(live, pipeline)}
      </p>
      {error && <Alert>{error}</Alert>}
      {pipeline && (
        <>
          <div class="actions">
            <button type="button" class="danger" disabled={isFinal(pipeline.status) || cancelling} onClick={cancel}>
              {cancelling ? "Cancelling…" : "Cancel pipeline"}
            </button>
            {restartable && (
              <>
                <button type="button" disabled={retrying} onClick={() => restart("retry")}>
                  {action === "retry" ? "Retrying…" : "Retry failed steps"}
                </button>
                <button type="button" disabled={retrying} onClick={() => restart("rerun")}>
                  {action === "rerun" ? "Starting…" : "Re-run"}
                </button>
              </>
            )}
            <span class="hint">Created {formatTime(pipeline.created_at)}</span>
          </div>
          <h2>Graph</h2>
          <DagView steps={pipeline.steps} label={`Steps of ${pipeline.pipeline_name}`} />
          <ul class="legend" aria-label="Status colours">
            {["waiting", "pending", "running", "succeeded", "failed", "cancelled", "skipped"].map((s) => (
              <li>
                <span class={`swatch status-${s}`} aria-hidden="true" />
                {s}
              </li>
            ))}
          </ul>
          <h2>Steps</h2>
          <ScrollRegion label="Steps table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Depends on</th>
                  <th scope="col">Status</th>
                  <th scope="col">Job</th>
                </tr>
              </thead>
              <tbody>
                {pipeline.steps.map((step) => (
                  <tr key={step.name} data-step={step.name}>
                    <td>{step.name}</td>
                    <td>{step.kind}</td>
                    <td>{step.depends_on.join(", ") || "–"}</td>
                    <td>
                      <StatusBadge status={step.status} />
                      {step.error && <span class="error-text"> {step.error}</span>}
                    </td>
                    <td>{step.job_id === null ? "–" : <Link href={`/ui/jobs/${step.job_id}`}>#{step.job_id}</Link>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </>
  );
}
