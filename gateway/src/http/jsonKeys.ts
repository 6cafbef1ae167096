// What JSON.parse lets through and a schema cannot see: keys that reach for an
// object's prototype (`__proto__`, `constructor`, `prototype`), duplicate keys
// (JSON.parse silently keeps the last one, so two readers of one body could
// disagree), and nesting deep enough to exhaust a recursive reader. Reads the
// text with jsonc-parser's visitor (keys decoded exactly as JSON.parse decodes
// them); runs only on text JSON.parse has already accepted.
import { visit, type JSONPath } from "jsonc-parser";
import type { FieldError } from "./problem";

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
/** Deeper bodies are refused: no route takes more than a few levels. */
export const MAX_JSON_DEPTH = 64;
/** Stop reading after this many problems; the first ones say enough. */
const MAX_PROBLEMS = 20;

const fieldOf = (path: JSONPath, key: string) => [...path, key].join(".");

/** The problems with the body's keys, as field errors; empty when there are none. */
export function jsonKeyProblems(text: string): FieldError[] {
  const problems: FieldError[] = [];
  // One set of keys per object being read, innermost last; arrays push nothing.
  const objects: Set<string>[] = [];
  let depth = 0;
  let tooDeep = false;
  const enter = () => {
    depth++;
    if (depth <= MAX_JSON_DEPTH) return true;
    tooDeep = true;
    return false; // skip the contents
  };
  // The reader recurses: nesting deep enough to exhaust the stack (which JSON.parse survives) is too deep.
  try {
    visit(text, {
      onObjectBegin: () => {
        objects.push(new Set());
        return enter();
      },
      onObjectEnd: () => {
        objects.pop();
        depth--;
      },
      onArrayBegin: () => enter(),
      onArrayEnd: () => {
        depth--;
      },
      onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
        if (problems.length >= MAX_PROBLEMS) return;
        const keys = objects.at(-1);
        if (FORBIDDEN_KEYS.has(key))
          problems.push({ field: fieldOf(pathSupplier(), key), message: `the key "${key}" is not allowed` });
        else if (keys?.has(key))
          problems.push({ field: fieldOf(pathSupplier(), key), message: `duplicate key "${key}"` });
        keys?.add(key);
      },
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    tooDeep = true;
  }
  if (tooDeep)
    problems.unshift({
      field: "body",
      message: `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
    });
  return problems;
}
