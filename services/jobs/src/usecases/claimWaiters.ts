// Claims waiting for a job (long polls), and the wake-ups that end their wait.
// A wake-up for a kind (and queue) wakes ONE waiter that serves it, the oldest first: a
// job that became ready is worth one claim attempt, not a stampede. A waiter
// registers before it tries to claim, so a job that becomes ready between its
// empty claim and its wait still wakes it; one woken that then claims a job
// passes the wake-up on (it may have taken a different job than the one that
// woke it), so no ready job is left with every waiter asleep.

export interface Waiter {
  /** Resolves true when woken, false when `deadline` passed or `signal` aborted (it then stops waiting). */
  wait(deadline: number, signal: AbortSignal | undefined): Promise<boolean>;
  /** Stops waiting (after a claim succeeded); true when a wake-up had reached it. */
  leave(): boolean;
}

interface Entry {
  kinds: ReadonlySet<string>;
  queues: ReadonlySet<string>;
  woken: boolean;
  resolve?: (woken: boolean) => void;
}

export class ClaimWaiters {
  /** In arrival order: the oldest waiter is woken first. */
  private readonly entries = new Set<Entry>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /** How many claims are waiting now. */
  get size(): number {
    return this.entries.size;
  }

  /** Registers a claim for `kinds` and `queues` (empty: any); call before trying to claim. */
  register(kinds: readonly string[], queues: readonly string[] = []): Waiter {
    const entry: Entry = { kinds: new Set(kinds), queues: new Set(queues), woken: false };
    this.entries.add(entry);
    return {
      wait: (deadline, signal) => {
        if (entry.woken || !this.entries.has(entry)) return Promise.resolve(this.remove(entry));
        return new Promise<boolean>((resolve) => {
          const finish = (woken: boolean) => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", abort);
            this.entries.delete(entry);
            resolve(woken);
          };
          const abort = () => finish(false);
          const timer = setTimeout(abort, Math.max(0, deadline - Date.now()));
          signal?.addEventListener("abort", abort, { once: true });
          if (signal?.aborted) return abort();
          entry.resolve = finish;
        });
      },
      leave: () => this.remove(entry),
    };
  }

  private remove(entry: Entry): boolean {
    this.entries.delete(entry);
    return entry.woken;
  }

  /** A job of `kind` (in `queue`; undefined: any) became ready: wakes the oldest waiter that serves it, if any. */
  ready(kind: string, queue?: string): void {
    for (const entry of this.entries) {
      if (entry.woken || (entry.kinds.size > 0 && !entry.kinds.has(kind))) continue;
      if (queue !== undefined && entry.queues.size > 0 && !entry.queues.has(queue)) continue;
      entry.woken = true;
      entry.resolve?.(true);
      return;
    }
  }

  /** A job of `kind` becomes ready at `at` (a retry's backoff, a run_at): wakes a waiter then. */
  readyAt(kind: string, at: number, queue?: string): void {
    const delay = at - Date.now();
    if (delay <= 0) {
      this.ready(kind, queue);
      return;
    }
    // One millisecond late rather than early: the claim compares run_after with its own clock reading.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ready(kind, queue);
    }, delay + 1);
    this.timers.add(timer);
  }

  /** Forgets scheduled wake-ups (shutdown); waiters end at their deadlines. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
