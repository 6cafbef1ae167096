// The Idempotency-Key header of POST /jobs/ and POST /pipelines/: checked here
// (the rule is the services', @platform/proto/rules), passed on as the request's
// idempotency_key; the service decides whether a repeat is a replay (same
// request: the first resource, 200) or a misuse (another request: 422).
import {
  IDEMPOTENCY_KEY_MESSAGE,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_REUSED_MESSAGE,
} from "@platform/proto/rules";
import { HttpProblem, validationProblem, type FieldError } from "./problem";
import { created } from "./wire";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** For a route's OpenAPI `detail`: the header and what a replay answers. */
export const idempotencyDoc = {
  parameters: [
    {
      name: IDEMPOTENCY_HEADER,
      in: "header" as const,
      required: false,
      description:
        "1 to 200 printable ASCII characters, scoped to the caller. The first request creates (201); the same key " +
        "with the same body returns the same resource (200, header Idempotent-Replayed: true); the same key with " +
        `another body is 422 (${IDEMPOTENCY_KEY_REUSED_MESSAGE}).`,
      schema: { type: "string" as const, pattern: IDEMPOTENCY_KEY_PATTERN },
    },
  ],
};

/** The header's key ("" when absent), or a 422 naming the header. */
export function idempotencyKeyOf(headers: Record<string, string | undefined>): string {
  const key = headers["idempotency-key"];
  if (key === undefined) return "";
  if (!KEY.test(key))
    throw validationProblem(
      [{ field: IDEMPOTENCY_HEADER, message: IDEMPOTENCY_KEY_MESSAGE }],
      "the request headers have invalid fields",
    );
  return key;
}

/** The service's refusal of a key names the header, not the gRPC field it travelled in. */
export async function createIdempotently<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const errors = error instanceof HttpProblem ? (error.extensions.errors as FieldError[] | undefined) : undefined;
    if (!errors?.some((e) => e.field === "idempotency_key")) throw error;
    const renamed = errors.map((e) => (e.field === "idempotency_key" ? { ...e, field: IDEMPOTENCY_HEADER } : e));
    throw validationProblem(renamed, renamed.map((e) => `${e.field}: ${e.message}`).join("; "));
  }
}

/** 201 and Location the first time; 200 and Idempotent-Replayed on a replay. */
export function createdOrReplayed<T>(
  set: { status?: number | string; headers: Record<string, unknown> },
  replayed: boolean,
  location: string,
  body: T,
): T {
  if (!replayed) return created(set, location, body);
  set.status = 200;
  set.headers["idempotent-replayed"] = "true";
  return body;
}
