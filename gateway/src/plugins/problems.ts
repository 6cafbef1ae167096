// One error format everywhere: whatever goes wrong becomes application/problem+json.
import type { Logger } from "@platform/kit";
import { lengthMessage } from "@platform/proto/rules";
import { Elysia, ValidationError } from "elysia";
import { methodTable, type RouteEntry } from "../http/allow";
import { HttpProblem, PROBLEM_CONTENT_TYPE, validationProblem, type FieldError } from "../http/problem";
import { requestIdOf } from "./requestContext";

/** "/email" → "email", "/steps/0/name" → "steps.0.name", "" → the part of the request. */
function fieldName(path: string, part: string): string {
  const field = path.replace(/^\//, "").replaceAll("/", ".");
  return field === "" ? part : field;
}

type Issue = ValidationError["all"][number];

/**
 * A schema's own `error`, else a length rule worded as the services word it
 * (lengthMessage, @platform/proto/rules), else TypeBox's message: a field the
 * gateway refuses early reads as the service would have refused it.
 */
function messageOf(issue: Issue): string {
  const schema =
    "schema" in issue
      ? (issue.schema as { error?: unknown; minLength?: number; maxLength?: number; maxItems?: number } | undefined)
      : undefined;
  const value = "value" in issue ? issue.value : undefined;
  if (schema && typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      return schema.minLength === 1 ? lengthMessage.empty : lengthMessage.atLeast(schema.minLength);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      return lengthMessage.atMost(schema.maxLength);
  }
  if (schema?.maxItems !== undefined && Array.isArray(value) && value.length > schema.maxItems)
    return lengthMessage.items(schema.maxItems);
  if (typeof schema?.error === "string") return schema.error;
  if (typeof schema?.error === "function") return String(schema.error({ value }));
  return String(issue.message);
}

export function validationErrorsOf(error: ValidationError): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.all) {
    const field = fieldName("path" in issue ? String(issue.path) : "", error.type);
    // The first message per field is the precise one; TypeBox adds union noise after it.
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: messageOf(issue) });
  }
  return errors;
}

export function toProblem(code: string | number, error: unknown, logger: Logger): HttpProblem {
  if (error instanceof HttpProblem) return error;
  // Elysia wraps whatever a parse hook throws; jsonBody's own problems are precise, keep them.
  if (code === "PARSE" && error instanceof Error && error.cause instanceof HttpProblem) return error.cause;
  // A handler's answer that breaks its route's declared response is the gateway's fault, not the caller's.
  if (error instanceof ValidationError && error.type === "response") {
    logger.error({ err: error, errors: validationErrorsOf(error) }, "a response broke its route's declared schema");
    return new HttpProblem(500, "internal-error", "an internal error occurred");
  }
  if (error instanceof ValidationError) {
    const part = error.type === "params" ? "path parameter" : error.type;
    return validationProblem(validationErrorsOf(error), `the request ${part} has invalid fields`);
  }
  switch (code) {
    case "NOT_FOUND":
      return new HttpProblem(404, "not-found", "no such route");
    case "PARSE":
      return new HttpProblem(400, "malformed-body", "the request body is not valid JSON");
    default:
      logger.error({ err: error, code }, "unhandled error");
      return new HttpProblem(500, "internal-error", "an internal error occurred");
  }
}

/**
 * The client went away while its request waited (for a password check's turn, an upstream call that
 * request.signal cancels): nginx's 499. No one reads the answer; the access log and the metrics say
 * what happened, and nothing is logged as an error. Only for an error that is the abort itself.
 */
export function clientClosed(request: Request, error: unknown): HttpProblem | undefined {
  if (!request.signal.aborted) return undefined;
  const cancelled = error instanceof HttpProblem && error.extensions.grpc_code === "CANCELLED";
  if (error !== request.signal.reason && !cancelled) return undefined;
  return new HttpProblem(499, "client-closed-request", "the client closed the request before it was answered");
}

/** Header values the gateway sets are its own ASCII; anything else (user text) is dropped, never sent. */
const HEADER_SAFE = /^[\x20-\x7e]*$/;
const safeHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([, value]) => HEADER_SAFE.test(String(value))));

/** A known path asked with a method it does not have: 405 naming the ones it has. */
function methodNotAllowed(allowed: string[]): HttpProblem {
  const allow = allowed.join(", ");
  return new HttpProblem(405, "method-not-allowed", `this path allows ${allow}`, {}, { allow });
}

export const problems = (options: { logger: Logger }) => {
  const plugin = new Elysia({ name: "problems" });
  let table: { routes: number; allowed: (path: string) => string[] } | undefined;
  const allowedAt = (path: string) => {
    const routes = (plugin as unknown as { getGlobalRoutes(): RouteEntry[] }).getGlobalRoutes();
    if (table?.routes !== routes.length) table = { routes: routes.length, allowed: methodTable(routes) };
    return table.allowed(path);
  };
  return plugin.error({ HttpProblem }).onError({ as: "global" }, ({ code, error, set, path, request }) => {
    // Not found, or caught by a parameter route beside the path's own (GET /jobs/retry reaches GET /jobs/{id}).
    const misrouted = code === "NOT_FOUND" || (error instanceof ValidationError && error.type === "params");
    const allowed = misrouted ? allowedAt(path) : [];
    const problem =
      allowed.length > 0 && !allowed.includes(request.method)
        ? methodNotAllowed(allowed)
        : (clientClosed(request, error) ?? toProblem(code, error, options.logger));
    const requestId = requestIdOf(set.headers);
    set.status = problem.status;
    return new Response(JSON.stringify(problem.body(requestId)), {
      status: problem.status,
      headers: {
        ...(set.headers as Record<string, string>),
        ...safeHeaders(problem.headers),
        "content-type": PROBLEM_CONTENT_TYPE,
      },
    });
  });
};
