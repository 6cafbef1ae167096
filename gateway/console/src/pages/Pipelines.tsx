import { useState } from "preact/hooks";
import { api, errorText, type Page } from "../api";
import { Alert, formatTime, PageTitle, Pager, StatusBadge, useEvery } from "../components";
import { Link } from "../router";
import type { Pipeline } from "../types";

const PAGE_SIZE = 20;

export function Pipelines() {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [page, setPage] = useState<Page<Pipeline> | null>(null);
  const [error, setError] = useState("");
  const token = tokens[tokens.length - 1] ?? "";
  useEvery(
    5_000,
    () => {
      const query = new URLSearchParams({ page_size: String(PAGE_SIZE) });
      if (token) query.set("page_token", token);
      api<Page<Pipeline>>("GET", `/pipelines/?${query}`)
        .then((p) => {
          setPage(p);
          setError("");
        })
        .catch((e) => setError(errorText(e)));
    },
    [token],
  );
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
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Pipelines table">
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
      </div>
      <Pager
        label="Pipelines"
        canBack={tokens.length > 1}
        canNext={!!page?.next_page_token}
        onBack={() => setTokens(tokens.slice(0, -1))}
        onNext={() => page?.next_page_token && setTokens([...tokens, page.next_page_token])}
      />
    </>
  );
}
