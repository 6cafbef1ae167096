// Step payload templates: a string value in a step's payload may reference the
// pipeline's parameters (`{{ params.region }}`) and the results of steps it
// depends on (`{{ steps.fetch.result.rows[0].id }}`). Nothing is evaluated:
// a reference is a root and a path of names and array indexes, looked up in
// JSON data through own properties only (so `__proto__`, `constructor` and
// the like find nothing that JSON did not put there). A string that is exactly
// one reference takes the referenced value with its JSON type; a reference
// inside other text is replaced by the value as text. Rendering is one pass:
// text that comes out of a value is never read as a template again. Pure: no
// I/O; the caller supplies the parameters and results.

/** A path step: an object key or an array index. */
export type PathSegment = string | number;

export type Reference =
  | { root: "params"; path: PathSegment[]; source: string }
  | { root: "steps"; step: string; path: PathSegment[]; source: string };

/** A string value split into literal text and references. */
export type Part = string | Reference;

/**
 * A template that cannot be parsed, or a reference that finds nothing; `message` says which and why.
 * The message quotes the payload, made well-formed (a lone surrogate becomes U+FFFD): it travels in
 * gRPC status details, whose encoding throws on one.
 */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message.toWellFormed());
  }
}

/** Longest path a reference may have (segments after the root). */
export const MAX_PATH_SEGMENTS = 64;

const OPEN = "{{";
const CLOSE = "}}";
/** A key in a path: letters, digits, '_', '-', '$' (other keys cannot be referenced). */
const NAME = /^[\p{L}\p{N}_$-]+$/u;
const INDEX = /^\[(\d{1,9})\]/;

/** `{{ params.a[0].b }}` → `params.a[0].b`, for messages. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** Splits an expression (what stands between the braces, trimmed) into its segments. */
function segmentsOf(expression: string, source: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = expression;
  let first = true;
  while (rest !== "") {
    const index = INDEX.exec(rest);
    if (index && !first) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
    } else {
      if (!first) {
        if (!rest.startsWith("."))
          throw new TemplateError(`${source}: expected "." or "[index]" after ${formatPath(segments)}`);
        rest = rest.slice(1);
      }
      const end = rest.search(/[.[]/);
      const name = end === -1 ? rest : rest.slice(0, end);
      if (!NAME.test(name))
        throw new TemplateError(
          `${source}: ${name === "" ? "an empty name" : JSON.stringify(name)} is not a name (letters, digits, '_', '-', '$')`,
        );
      segments.push(name);
      rest = end === -1 ? "" : rest.slice(end);
    }
    first = false;
    if (segments.length > MAX_PATH_SEGMENTS + 1)
      throw new TemplateError(`${source}: a path may have at most ${MAX_PATH_SEGMENTS} parts`);
  }
  return segments;
}

/**
 * Parses one expression. `stepNames`: the pipeline's steps; a step name may
 * contain dots, so the longest step name followed by `.result` wins.
 */
function parseReference(expression: string, source: string, stepNames: ReadonlySet<string>): Reference {
  if (expression === "") throw new TemplateError(`${source}: empty reference`);
  const segments = segmentsOf(expression, source);
  const [root, ...rest] = segments;
  if (root === "params") return { root, path: rest, source };
  if (root !== "steps") throw new TemplateError(`${source}: a reference starts with "params." or "steps."`);
  for (let k = rest.length - 1; k >= 1; k--) {
    const name = rest.slice(0, k);
    if (rest[k] !== "result" || !name.every((s) => typeof s === "string")) continue;
    const step = name.join(".");
    if (stepNames.has(step)) return { root, step, path: rest.slice(k + 1), source };
  }
  const named = typeof rest[0] === "string" ? rest[0] : "";
  if (named === "") throw new TemplateError(`${source}: expected steps.<step>.result`);
  const known = [...stepNames].some((s) => s === named || s.startsWith(`${named}.`));
  throw new TemplateError(
    known ? `${source}: expected steps.<step>.result after the step's name` : `${source}: there is no step ${named}`,
  );
}

/** Splits `text` into literal parts and references; throws TemplateError on a malformed template. */
export function parseTemplate(text: string, stepNames: ReadonlySet<string>): Part[] {
  const parts: Part[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(OPEN, at);
    if (open === -1) {
      parts.push(text.slice(at));
      break;
    }
    if (open > at) parts.push(text.slice(at, open));
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) throw new TemplateError(`"{{" at character ${open} has no closing "}}"`);
    const inner = text.slice(open + OPEN.length, close);
    const quoted = `{{${inner}}}`.toWellFormed();
    const source = quoted.length > 80 ? `${[...quoted].slice(0, 76).join("")}…}}` : quoted;
    if (inner.includes(OPEN))
      throw new TemplateError(`"{{" at character ${open} has no closing "}}" before the next "{{"`);
    parts.push(parseReference(inner.trim(), source, stepNames));
    at = close + CLOSE.length;
  }
  return parts;
}

/** Every reference in a JSON value's strings (object keys are never templates). */
export function referencesIn(value: unknown, stepNames: ReadonlySet<string>): Reference[] {
  const found: Reference[] = [];
  transformStrings(value, (text) => {
    if (text.includes(OPEN))
      for (const part of parseTemplate(text, stepNames)) if (typeof part !== "string") found.push(part);
    return text;
  });
  return found;
}

type Lookup = { found: true; value: unknown } | { found: false; missing: PathSegment[] };

/** Follows `path` through JSON data: own keys of objects, indexes of arrays; nothing else. */
export function lookup(data: unknown, path: readonly PathSegment[]): Lookup {
  let current = data;
  for (const [i, segment] of path.entries()) {
    const index = typeof segment === "number" ? segment : /^\d{1,9}$/.test(segment) ? Number(segment) : undefined;
    if (Array.isArray(current) && index !== undefined && index < current.length) current = current[index];
    else if (
      typeof segment === "string" &&
      current !== null &&
      typeof current === "object" &&
      !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    )
      current = (current as Record<string, unknown>)[segment];
    else return { found: false, missing: path.slice(0, i + 1) };
  }
  return { found: true, value: current };
}

/** What references are looked up in. `results`: a dependency's parsed result, or undefined when it has none. */
export interface TemplateScope {
  params: Record<string, unknown>;
  result(step: string): unknown;
}

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * Renders a payload (JSON text) against `scope`: the JSON text of the job's
 * payload. Throws TemplateError naming the first reference that finds nothing,
 * or when the rendered payload would exceed `maxBytes`.
 */
export function renderPayload(
  payload: string,
  scope: TemplateScope,
  stepNames: ReadonlySet<string>,
  maxBytes: number,
): string {
  if (!payload.includes(OPEN)) return payload;
  // Values inserted so far, in characters: stops a payload that repeats a large value from growing without bound.
  let inserted = 0;
  const resolve = (reference: Reference): unknown => {
    const data = reference.root === "params" ? scope.params : scope.result(reference.step);
    if (reference.root === "steps" && data === undefined)
      throw new TemplateError(`${reference.source}: step ${reference.step} has no result`);
    const found = lookup(data, reference.path);
    if (!found.found) {
      const where = reference.root === "params" ? "the parameters have" : `step ${reference.step}'s result has`;
      throw new TemplateError(`${reference.source}: ${where} nothing at ${formatPath(found.missing)}`);
    }
    return found.value;
  };
  const count = (text: string) => {
    inserted += text.length;
    if (inserted > maxBytes) throw new TemplateError(`the rendered payload would be over ${maxBytes} bytes`);
  };
  const rendered = transformStrings(JSON.parse(payload) as unknown, (text) => {
    if (!text.includes(OPEN)) return text;
    const parts = parseTemplate(text, stepNames);
    if (parts.length === 1 && typeof parts[0] !== "string") {
      const value = resolve(parts[0]!);
      count(JSON.stringify(value));
      return value;
    }
    return parts
      .map((part) => {
        if (typeof part === "string") return part;
        const text = asText(resolve(part));
        count(text);
        return text;
      })
      .join("");
  });
  const json = JSON.stringify(rendered);
  if (Buffer.byteLength(json) > maxBytes)
    throw new TemplateError(`the rendered payload would be over ${maxBytes} bytes`);
  return json;
}

/**
 * A copy of a JSON value with every string value replaced by `fn(string)`.
 * Iterative, so a deeply nested payload cannot exhaust the stack; keys are
 * defined as own properties, so a `__proto__` key stays a plain key.
 */
export function transformStrings(value: unknown, fn: (text: string) => unknown): unknown {
  const copy = (from: unknown): unknown => {
    if (typeof from === "string") return fn(from);
    if (from === null || typeof from !== "object") return from;
    const into: unknown = Array.isArray(from) ? [] : {};
    pending.push([from as object, into as object]);
    return into;
  };
  const pending: [object, object][] = [];
  const root = copy(value);
  while (pending.length > 0) {
    const [from, into] = pending.pop()!;
    if (Array.isArray(from)) for (const item of from) (into as unknown[]).push(copy(item));
    else
      for (const [key, item] of Object.entries(from))
        Object.defineProperty(into, key, { value: copy(item), enumerable: true, writable: true, configurable: true });
  }
  return root;
}
