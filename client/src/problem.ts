// Failed calls as typed errors: an answer of the gateway (always RFC 9457
// problem+json, whatever the layer) becomes an ApiError with its fields; a
// gateway that could not be reached, or did not answer in time, a NetworkError.

/** One field the server rejected, named as in the request (`email`, `steps.1.kind`). */
export interface FieldError {
  field: string;
  message: string;
}

/** The gateway's one error body (docs/api.md). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** null when the edge refused the request before it had an id. */
  request_id?: string | null;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** The gateway answered with an error status. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `request failed with status ${status}`);
  }
  get title(): string {
    return this.problem.title;
  }
  get detail(): string {
    return this.problem.detail;
  }
  get errors(): FieldError[] {
    return this.problem.errors ?? [];
  }
  get requestId(): string | undefined {
    return this.problem.request_id ?? undefined;
  }
  /** The field errors by field name (the first message of each). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) out[e.field] ??= e.message;
    return out;
  }
}

/** No answer: the gateway is unreachable, the connection broke, or the call timed out or was aborted. */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
  constructor(override readonly cause: unknown) {
    super(`no answer from the gateway: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  /** True when the call was given up (its timeout, or an AbortSignal), not refused. */
  get aborted(): boolean {
    return cause(this.cause) === "abort";
  }
}

const cause = (error: unknown) =>
  error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError") ? "abort" : "other";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * A problem body from whatever an error response carried: the parsed problem+json
 * as it is, or (from something in between, e.g. a proxy's plain-text page) a
 * problem made from the status and the text.
 */
export function toProblem(status: number, body: unknown): Problem {
  const title = STATUS_TITLES[status] ?? "Error";
  if (isRecord(body) && typeof body.title === "string") {
    const errors = Array.isArray(body.errors)
      ? body.errors.filter(
          (e): e is FieldError => isRecord(e) && typeof e.field === "string" && typeof e.message === "string",
        )
      : undefined;
    return {
      ...body,
      type: typeof body.type === "string" ? body.type : "about:blank",
      title: body.title,
      status: typeof body.status === "number" ? body.status : status,
      detail: typeof body.detail === "string" ? body.detail : "",
      ...(errors ? { errors } : {}),
    };
  }
  const text = typeof body === "string" ? body.trim().slice(0, 500) : "";
  return { type: "about:blank", title, status, detail: text || `request failed with status ${status}` };
}
