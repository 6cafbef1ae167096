import { describe, expect, test } from "bun:test";
import { status } from "@grpc/grpc-js";
import { grpcErrorToProblem, httpStatusFor } from "./grpcStatusToHttp";

describe("the gRPC status to HTTP table", () => {
  test.each([
    [status.NOT_FOUND, 404],
    [status.ALREADY_EXISTS, 409],
    [status.FAILED_PRECONDITION, 409],
    [status.INVALID_ARGUMENT, 422],
    [status.UNAUTHENTICATED, 401],
    [status.PERMISSION_DENIED, 403],
    [status.RESOURCE_EXHAUSTED, 429],
    [status.UNAVAILABLE, 503],
    [status.DEADLINE_EXCEEDED, 504],
    [status.INTERNAL, 500],
    [status.UNKNOWN, 500],
    [status.DATA_LOSS, 500],
    [status.UNIMPLEMENTED, 500],
  ])("gRPC %i is HTTP %i", (code, http) => {
    expect(httpStatusFor(code)).toBe(http);
    expect(grpcErrorToProblem("users", code, "details").status).toBe(http);
  });

  test("client errors pass the service's message on; server errors never leak it", () => {
    expect(grpcErrorToProblem("users", status.NOT_FOUND, "user 9 not found").detail).toBe("user 9 not found");
    const internal = grpcErrorToProblem(
      "users",
      status.INTERNAL,
      "pq: password authentication failed at db.internal:5432",
    );
    expect(internal.detail).toBe("an internal error occurred");
    expect(JSON.stringify(internal.body("r"))).not.toContain("db.internal");
    expect(grpcErrorToProblem("jobs", status.UNAVAILABLE, "connect ECONNREFUSED 10.0.0.7:50052").detail).toBe(
      "the jobs service is unavailable",
    );
  });

  test("the gRPC code travels as grpc_code, and 503s say when to retry", () => {
    const problem = grpcErrorToProblem("users", status.UNAVAILABLE, "x");
    expect(problem.body("r").grpc_code).toBe("UNAVAILABLE");
    expect(problem.headers["retry-after"]).toBe("1");
  });
});
