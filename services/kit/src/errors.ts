// Domain errors and the one table that turns them into gRPC statuses.
// Business code throws these; it never imports grpc.
import { status } from "@grpc/grpc-js";
import { MAX_STATUS_MESSAGE_CHARS, truncate } from "./statusDetails";

export interface FieldViolation {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: status;
}

/** How many violations the message names; all of them travel in the status details. */
const VIOLATIONS_IN_MESSAGE = 5;

export class InvalidArgumentError extends DomainError {
  readonly code = status.INVALID_ARGUMENT;
  constructor(readonly violations: readonly FieldViolation[]) {
    const named = violations
      .slice(0, VIOLATIONS_IN_MESSAGE)
      .map((v) => `${truncate(v.field, 100)}: ${truncate(v.message, 200)}`);
    const more = violations.length - named.length;
    super(named.join("; ") + (more > 0 ? `; and ${more} more` : ""));
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

export class PermissionDeniedError extends DomainError {
  readonly code = status.PERMISSION_DENIED;
}

/** The wire shape grpc-js sends: a status code and a message for the caller. */
export interface GrpcError {
  code: status;
  details: string;
}

/**
 * Unknown errors become INTERNAL with a fixed message: internals never leak.
 * The message is bounded: it travels as the grpc-message header.
 */
export function toGrpcError(error: unknown): GrpcError {
  if (error instanceof DomainError)
    return { code: error.code, details: truncate(error.message, MAX_STATUS_MESSAGE_CHARS) };
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
  /**
   * `check`'s value; or, when it throws INVALID_ARGUMENT, undefined, its violations added here with each
   * field named by `field` (e.g. under the item it came from: `jobs.3.kind`). Other errors go through.
   */
  collect<T>(check: () => T, field: (name: string) => string = (name) => name): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      for (const v of error.violations) this.add(field(v.field), v.message);
      return undefined;
    }
  }
}
