// The login throttle's windows in SQL, the same statements on SQLite and
// PostgreSQL. Each count is one atomic upsert (the rule of countIn), so gateway
// replicas counting at once never lose a count.
import type { Db } from "@platform/kit";
import type { LoginWindow } from "../domain/loginThrottle";

interface WindowRow {
  count: unknown;
  expires_at: unknown;
}

const toWindow = (row: WindowRow): LoginWindow => ({ count: Number(row.count), expiresAt: Number(row.expires_at) });

export class LoginThrottleStore {
  constructor(private readonly db: Db) {}

  /** Counts one at `now` in the key's window (a new window if it expired); returns the window after. */
  async count(key: string, now: number, windowMs: number): Promise<LoginWindow> {
    const row = await this.db.get<WindowRow>(
      `INSERT INTO login_throttle (key, count, expires_at) VALUES ($1, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN login_throttle.expires_at <= $2 THEN 1 ELSE login_throttle.count + 1 END,
         expires_at = CASE WHEN login_throttle.expires_at <= $2 THEN $3 ELSE login_throttle.expires_at END
       RETURNING count, expires_at`,
      [key, now, now + windowMs],
    );
    return toWindow(row!);
  }

  /** The key's window, unless it has expired. */
  async peek(key: string, now: number): Promise<LoginWindow | undefined> {
    const row = await this.db.get<WindowRow>(
      "SELECT count, expires_at FROM login_throttle WHERE key = $1 AND expires_at > $2",
      [key, now],
    );
    return row && toWindow(row);
  }

  async clear(key: string): Promise<void> {
    await this.db.all("DELETE FROM login_throttle WHERE key = $1", [key]);
  }

  /** Deletes expired windows; returns how many. */
  async prune(now: number): Promise<number> {
    const rows = await this.db.all("DELETE FROM login_throttle WHERE expires_at <= $1 RETURNING key", [now]);
    return rows.length;
  }
}
