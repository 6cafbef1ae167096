// A list page's data: one page of a cursor-paged API list, refreshed every few
// seconds, with the cursors of the pages before it so "Previous" works.
import type { PageQuery } from "@platform/client";
import { useState } from "preact/hooks";
import { errorText, type Page } from "./api";
import { useEvery } from "./components";

export const PAGE_SIZE = 20;

export interface PagedList<T> {
  page: Page<T> | null;
  error: string;
  /** Props for <Pager>. */
  pager: { canBack: boolean; canNext: boolean; onBack(): void; onNext(): void };
  /** Back to the first page (after a filter changed). */
  reset(): void;
  /** Fetch now (after something was created). */
  reload(): void;
}

/** The paging part of a list's query (query values are text on the wire, and in the client's types). */
export type { PageQuery };

/**
 * `load` fetches one page (a typed client call given the paging query and the
 * page's own filters); `key` names those filters: a new key fetches again.
 */
export function usePagedList<T>(
  load: (query: PageQuery) => Promise<Page<T>>,
  options: { key?: string; refreshMs?: number; describeError?: (error: unknown) => string } = {},
): PagedList<T> {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [error, setError] = useState("");
  const [reloads, setReloads] = useState(0);
  const token = tokens[tokens.length - 1] ?? "";
  useEvery(options.refreshMs ?? 5_000, () => {
    load(token ? { page_size: String(PAGE_SIZE), page_token: token } : { page_size: String(PAGE_SIZE) })
      .then((p) => {
        setPage(p);
        setError("");
      })
      .catch((e) => setError((options.describeError ?? errorText)(e)));
  }, [token, reloads, options.key ?? ""]);
  return {
    page,
    error,
    pager: {
      canBack: tokens.length > 1,
      canNext: !!page?.next_page_token,
      onBack: () => setTokens(tokens.slice(0, -1)),
      onNext: () => page?.next_page_token && setTokens([...tokens, page.next_page_token]),
    },
    reset: () => setTokens([""]),
    reload: () => setReloads((n) => n + 1),
  };
}
