import { Alert, formatTime, Pager, PageTitle, ScrollRegion, StatusBadge } from "../components";
import { usePagedList } from "../pagedList";
import { Link } from "../router";
import type { Pipeline } from "@platform/client";
import { call, gateway } from "../api";

export function Pipelines() {
  const { page, error, pager } = usePagedList<Pipeline>((query) => call(gateway().pipelines.get({ query })));
  return (
    <>
      <PageTitle>Pipelines</PageTitle>
      <div class="toolbar">
        <Link href="/ui/pipelines/new" class="button primary">
          New pipeline
        </Link>
        <p class="hint">{page ? "Refreshed every 5 s." : "Loading…"}</p>
      </div>
      {error && <Alert>{error}</Alert>}
      <ScrollRegion label="Pipelines table">
        <table>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Steps done</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link href={`/ui/pipelines/${p.id}`}>#{p.id}</Link>
                </td>
                <td>{p.pipeline_name}</td>
                <td>
                  <StatusBadge status={p.status} />
                </td>
                <td>
                  {p.steps.filter((s) => s.status === "SUCCEEDED").length}/{p.steps.length}
                </td>
                <td>{formatTime(p.created_at)}</td>
              </tr>
            ))}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={5}>No pipelines yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <Pager label="Pipelines" {...pager} />
    </>
  );
}
