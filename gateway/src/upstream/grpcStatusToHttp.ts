// The one table from gRPC status codes to HTTP problems.
import { status } from "@grpc/grpc-js";
import type { DecodedFieldViolations } from "@platform/kit";
import { HttpProblem } from "../http/problem";

interface Mapping {
  http: number;
  slug: string;
  /** Pass the service's message on to the client (4xx); otherwise say something generic. */
  exposeDetails: boolean;
}

const TABLE: Partial<Record<status, Mapping>> = {
  [status.INVALID_ARGUMENT]: { http: 422, slug: "validation-error", exposeDetails: true },
  [status.OUT_OF_RANGE]: { http: 422, slug: "validation-error", exposeDetails: true },
  [status.NOT_FOUND]: { http: 404, slug: "not-found", exposeDetails: true },
  [status.ALREADY_EXISTS]: { http: 409, slug: "conflict", exposeDetails: true },
  [status.ABORTED]: { http: 409, slug: "conflict", exposeDetails: true },
  [status.FAILED_PRECONDITION]: { http: 409, slug: "failed-precondition", exposeDetails: true },
  [status.UNAUTHENTICATED]: { http: 401, slug: "unauthorized", exposeDetails: false },
  [status.PERMISSION_DENIED]: { http: 403, slug: "forbidden", exposeDetails: false },
  [status.RESOURCE_EXHAUSTED]: { http: 429, slug: "rate-limited", exposeDetails: false },
  [status.UNAVAILABLE]: { http: 503, slug: "upstream-unavailable", exposeDetails: false },
  [status.DEADLINE_EXCEEDED]: { http: 504, slug: "upstream-timeout", exposeDetails: false },
};

const INTERNAL: Mapping = { http: 500, slug: "internal-error", exposeDetails: false };

export function httpStatusFor(code: status): number {
  return (TABLE[code] ?? INTERNAL).http;
}

const GENERIC_DETAIL: Record<number, (upstream: string) => string> = {
  401: () => "the upstream service refused the call's credentials",
  403: () => "not allowed",
  429: (upstream) => `the ${upstream} service is overloaded; retry later`,
  503: (upstream) => `the ${upstream} service is unavailable`,
  504: (upstream) => `the ${upstream} service did not answer in time`,
  500: () => "an internal error occurred",
};

/**
 * Turns a failed upstream call into the problem the client sees. Field
 * violations become `errors`; when the service left some out to bound its
 * trailer, `errors_omitted` says how many.
 */
export function grpcErrorToProblem(
  upstream: string,
  code: status,
  details: string,
  fieldErrors?: DecodedFieldViolations,
): HttpProblem {
  const mapping = TABLE[code] ?? INTERNAL;
  const detail = mapping.exposeDetails ? details : (GENERIC_DETAIL[mapping.http] ?? GENERIC_DETAIL[500]!)(upstream);
  const extensions = {
    grpc_code: status[code] ?? "UNKNOWN",
    ...(fieldErrors?.violations.length ? { errors: fieldErrors.violations } : {}),
    ...(fieldErrors?.omitted ? { errors_omitted: fieldErrors.omitted } : {}),
  };
  const headers: Record<string, string> = mapping.http === 503 || mapping.http === 429 ? { "retry-after": "1" } : {};
  return new HttpProblem(mapping.http, mapping.slug, detail, extensions, headers);
}
