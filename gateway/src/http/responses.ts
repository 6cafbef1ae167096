// What a route may answer, declared on the route itself: `response: responses({ 200: Job }, ...AUTH, ...UPSTREAM)`.
// Elysia types the handler's return value from it (and the Eden client from the
// app's type), and the OpenAPI document (plugins/docs.ts) is generated from it.
// Every error status refers to the one problem+json schema, `Problem`.
import type { FieldError, ProblemBody } from "./problem";
import { t, type TSchema } from "elysia";
import { Kind, Type, TypeRegistry, type TUnsafe } from "@sinclair/typebox";

/** RFC 9457 problem details: the body of every error response (components/schemas/Problem). */
export const Problem = t.Object(
  {
    type: t.String({ examples: ["urn:problem-type:validation-error"] }),
    title: t.String({ examples: ["Unprocessable Content"] }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: t.String(),
    request_id: t.Optional(
      t.Union([t.String(), t.Null()], {
        description:
          "The x-request-id of the request; null when the edge refused it before it had one " +
          "(a malformed request, a header name with an underscore).",
      }),
    ),
    grpc_code: t.Optional(
      t.String({
        description: "The upstream gRPC status behind the error, when there is one.",
        examples: ["NOT_FOUND"],
      }),
    ),
    errors: t.Optional(
      t.Array(t.Object({ field: t.String(), message: t.String() }), {
        description: "One entry per invalid field (validation errors only).",
      }),
    ),
    errors_omitted: t.Optional(Type.Integer({ description: "How many field errors were left out." })),
  },
  { description: "RFC 9457 problem details, the body of every error response." },
);
export const PROBLEM_REF = "#/components/schemas/Problem";

/** What each error status means, as the document says it. */
export const PROBLEM_STATUSES = {
  400: "Malformed: the body is not valid JSON, or (answered by the edge) the path holds an escaped slash or backslash, or a header name an underscore.",
  401: "Missing, malformed, invalid or expired bearer token.",
  403: "The token's roles do not allow this.",
  404: "No such resource (or another owner's).",
  409: "The change conflicts with the resource's state.",
  413: "The body is too large.",
  415: "The body is not application/json.",
  422: "Invalid fields, each named in `errors`.",
  429: "Too many requests; Retry-After says when to retry.",
  500: "An internal error.",
  503: "An upstream service is unavailable; Retry-After says when to retry.",
  504: "An upstream service did not answer in time.",
} as const;
export type ProblemStatus = keyof typeof PROBLEM_STATUSES;

// Problems are thrown and rendered by plugins/problems.ts, never returned by a
// handler: the schema is a reference for the document and a type for clients;
// nothing validates against it at run time.
TypeRegistry.Set("ProblemRef", () => true);
type TProblem = TUnsafe<ProblemBody & { errors?: FieldError[] }>;
const problemRef = (status: ProblemStatus): TProblem =>
  t.Unsafe<ProblemBody>({ [Kind]: "ProblemRef", $ref: PROBLEM_REF, description: PROBLEM_STATUSES[status] });

/** A request body: not JSON, too large, not application/json, invalid fields. */
export const BODY = [400, 413, 415, 422] as const;
/** A route behind the bearer token whose roles decide (every /users, /jobs, /pipelines, /schedules route). */
export const AUTH = [401, 403] as const;
/** A route that calls a service: overloaded, unavailable, too slow. */
export const UPSTREAM = [429, 503, 504] as const;
/** A route with an {id}: invalid or unknown. */
export const BY_ID = [404, 422] as const;

/**
 * The route's `response`: its success bodies as given, and a Problem for each
 * listed error status plus 400 (the edge refuses malformed requests to any route)
 * and 500, which any route may answer.
 */
export function responses<const S extends Record<number, TSchema>, const P extends readonly ProblemStatus[]>(
  success: S,
  ...problems: P
): S & Record<P[number] | 400 | 500, TProblem> {
  const declared: Record<number, TSchema> = { ...success };
  for (const status of [...problems, 400 as const, 500 as const]) declared[status] = problemRef(status);
  return declared as S & Record<P[number] | 400 | 500, TProblem>;
}

/** A response without a body (204). */
export const NoContent = t.Void({ description: "No content." });

/** A server-sent-events stream: each `data:` line is the JSON of `item`. */
export const eventStream = (item: TSchema, description: string) =>
  t.String({ contentMediaType: "text/event-stream", description, "x-event-data": item });

export const BEARER_SCHEME = "bearerAuth";
/** For a module's `.guard()`: its routes' tag, and bearer security when they sit behind `auth`. */
export const moduleDoc = (tag: string, options: { bearer: boolean }) => ({
  detail: { tags: [tag], ...(options.bearer ? { security: [{ [BEARER_SCHEME]: [] }] } : {}) },
});
