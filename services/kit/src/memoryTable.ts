// An in-memory table keyed by positive integer ids, in id order. It stands behind
// the services' repository interfaces until they move to a database.
import type { PageRequest } from "./pagination";

export class MemoryTable<Row extends { id: number }> {
  private readonly rows = new Map<number, Row>();
  private lastId = 0;

  /** The id the next insert without an explicit id gets. */
  nextId(): number {
    return this.lastId + 1;
  }

  has(id: number): boolean {
    return this.rows.has(id);
  }

  get(id: number): Row | undefined {
    return this.rows.get(id);
  }

  insert(row: Row): Row {
    if (this.rows.has(row.id)) throw new Error(`row ${row.id} already exists`);
    this.rows.set(row.id, row);
    this.lastId = Math.max(this.lastId, row.id);
    return row;
  }

  /** Up to `limit + 1` rows after the cursor, so the caller can tell whether more follow. */
  listAfter({ afterId, limit }: PageRequest): Row[] {
    return [...this.rows.values()]
      .filter((row) => row.id > afterId)
      .sort((a, b) => a.id - b.id)
      .slice(0, limit + 1);
  }

  find(predicate: (row: Row) => boolean): Row | undefined {
    for (const row of this.rows.values()) if (predicate(row)) return row;
    return undefined;
  }
}
