// A process started by the launcher (harness: `bun run dev`, the tests, the bench)
// stops when the launcher is gone, however it went: its stdin is a pipe the
// launcher holds open, and the pipe's end is the signal. Nothing else to load:
// the launcher imports this file alone.

/**
 * Set to "stdin" by the launcher (harness) on the processes it starts, whose stdin
 * is a pipe the launcher holds open: the pipe's end means the launcher is gone
 * (killed, crashed, its output closed), and the process stops as on SIGTERM
 * instead of living on as an orphan. Unset (k8s, a shell): stdin is not read.
 */
export const LIFELINE_ENV = "PLATFORM_LIFELINE";

/** Calls `onGone` once stdin reaches its end (or fails). */
export function watchLifeline(onGone: () => void): void {
  const reader = Bun.stdin.stream().getReader();
  void (async () => {
    try {
      while (!(await reader.read()).done) {
        // nothing is ever written: the pipe only says the launcher is alive
      }
    } catch {
      // a broken pipe says the same as its end
    }
    onGone();
  })();
}
