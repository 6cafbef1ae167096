// RFC 9457 problem details: the one error body of the HTTP API.

import { PROBLEM_CONTENT_TYPE, problemType } from "../edgeContract";

export { PROBLEM_CONTENT_TYPE, problemType };

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  request_id?: string;
  errors?: FieldError[];
  /** How many field errors the service left out to keep its answer bounded. */
  errors_omitted?: number;
  grpc_code?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  499: "Client Closed Request",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Thrown anywhere in the gateway; the errors plugin renders it. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly detail: string,
    readonly extensions: Omit<Partial<ProblemBody>, "type" | "title" | "status" | "detail"> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }

  body(requestId: string | undefined): ProblemBody {
    return {
      type: problemType(this.slug),
      title: TITLES[this.status] ?? "Error",
      status: this.status,
      detail: this.detail,
      ...this.extensions,
      request_id: requestId,
    };
  }
}

/** 401 with the challenge RFC 6750 asks for; `error` says why a presented token failed. */
export const unauthorized = (detail: string, error?: "invalid_token") =>
  new HttpProblem(
    401,
    "unauthorized",
    detail,
    {},
    { "www-authenticate": error ? `Bearer realm="api", error="${error}"` : 'Bearer realm="api"' },
  );

export const validationProblem = (errors: FieldError[], detail = "the request has invalid fields") =>
  new HttpProblem(422, "validation-error", detail, { errors });
