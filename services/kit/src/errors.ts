// Domain errors and the one table that turns them into gRPC statuses.
// Business code throws these; it never imports grpc.
import { status } from "@grpc/grpc-js";

export interface FieldViolation {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: status;
}

export class InvalidArgumentError extends DomainError {
  readonly code = status.INVALID_ARGUMENT;
  constructor(readonly violations: readonly FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.message}`).join("; "));
  }
}

export class NotFoundError extends DomainError {
  readonly code = status.NOT_FOUND;
}

export class AlreadyExistsError extends DomainError {
  readonly code = status.ALREADY_EXISTS;
}

export class FailedPreconditionError extends DomainError {
  readonly code = status.FAILED_PRECONDITION;
}

/** The wire shape grpc-js sends: a status code and a message for the caller. */
export interface GrpcError {
  code: status;
  details: string;
}

/** Unknown errors become INTERNAL with a fixed message: internals never leak. */
export function toGrpcError(error: unknown): GrpcError {
  if (error instanceof DomainError) return { code: error.code, details: error.message };
  return { code: status.INTERNAL, details: "internal error" };
}

/** Collects field problems, then throws them together as one INVALID_ARGUMENT. */
export class Violations {
  private readonly list: FieldViolation[] = [];
  add(field: string, message: string): this {
    this.list.push({ field, message });
    return this;
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new InvalidArgumentError(this.list);
  }
}
