// What a handler knows about the call it serves, without touching grpc-js.
import type { Logger } from "./logger";

export const REQUEST_ID_HEADER = "x-request-id";
export const FIELD_VIOLATIONS_HEADER = "x-field-violations";

export interface CallContext {
  requestId: string;
  logger: Logger;
  /** When the caller stops waiting; pass it on to downstream calls. */
  deadline: Date | undefined;
}
