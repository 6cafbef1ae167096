// Cursor pagination shared by every List method: an opaque token that encodes
// the last id served, so pages stay stable while rows are inserted.
import { InvalidArgumentError } from "./errors";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  /** Serve rows with an id greater than this. */
  afterId: number;
  limit: number;
}

export function encodePageToken(lastId: number): string {
  return Buffer.from(`v1:${lastId}`).toString("base64url");
}

export function parsePageRequest(pageSize: number, pageToken: string): PageRequest {
  if (pageSize < 0) throw new InvalidArgumentError([{ field: "page_size", message: "must not be negative" }]);
  const limit = pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
  if (pageToken === "") return { afterId: 0, limit };
  const match = /^v1:(\d{1,16})$/.exec(Buffer.from(pageToken, "base64url").toString());
  const afterId = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(afterId)) {
    throw new InvalidArgumentError([{ field: "page_token", message: "is not a token from a previous page" }]);
  }
  return { afterId, limit };
}

/** Given up to limit+1 rows fetched after the cursor, the page and the next token. */
export function toPage<T extends { id: number }>(
  rows: readonly T[],
  limit: number,
): { items: T[]; nextPageToken: string } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextPageToken: rows.length > limit && last ? encodePageToken(last.id) : "" };
}
