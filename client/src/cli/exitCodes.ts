// What the CLI's exit status says happened (docs/cli.md lists them). Scripts can
// tell a failed job from a typo, a lapsed login, an unknown id, a refused
// request and an unreachable gateway without reading the output.
import { ApiError, NetworkError } from "../problem";
import { WatchInterrupted } from "../watch";

export const EXIT = {
  /** Done; a watched job or pipeline SUCCEEDED. */
  ok: 0,
  /** The job or pipeline watched ended FAILED or CANCELLED. */
  failed: 1,
  /** The command line or a local file is wrong: nothing was sent. */
  usage: 2,
  /** Not logged in, the token was refused (401), or the account may not do this (403). */
  auth: 3,
  /** No such resource, or another owner's (404). */
  notFound: 4,
  /** The gateway refused the request as it stands: invalid fields, a conflict (400, 409, 413, 415, 422). */
  rejected: 5,
  /** Try again later: no answer (unreachable, timed out), throttled (429) or a server-side failure (5xx). */
  unavailable: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake on the command line or in a local file: exit 2, with this message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** No token to send: exit 3 without asking the gateway. */
export class NotLoggedIn extends Error {
  override readonly name = "NotLoggedIn";
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof NotLoggedIn) return EXIT.auth;
  if (error instanceof NetworkError || error instanceof WatchInterrupted) return EXIT.unavailable;
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return EXIT.auth;
    if (error.status === 404) return EXIT.notFound;
    if (error.status === 429 || error.status >= 500) return EXIT.unavailable;
    return EXIT.rejected;
  }
  return EXIT.unavailable;
}
