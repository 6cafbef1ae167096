// jsonKeyProblems against JSON.parse: silent on every duplicate-free body JSON.parse
// reads, and finds every duplicate or prototype key however it is spelled.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { jsonKeyProblems, MAX_JSON_DEPTH } from "./jsonKeys";

// JSON values without the forbidden keys (JSON.stringify never writes a duplicate).
const safeKey = fc.string({ unit: "binary" }).filter((key) => !["__proto__", "constructor", "prototype"].includes(key));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: "binary" }),
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(safeKey, tie("value"), { maxKeys: 5 }),
})).value;

/** A key written as JSON with every character \u-escaped: JSON.parse reads it as the same key. */
const escaped = (key: string) =>
  `"${Array.from({ length: key.length }, (_, i) => `\\u${key.charCodeAt(i).toString(16).padStart(4, "0")}`).join("")}"`;

describe("jsonKeyProblems", () => {
  test("finds nothing in any duplicate-free JSON that JSON.parse reads", () => {
    fc.assert(
      fc.property(jsonValue, fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        JSON.parse(text);
        expect(jsonKeyProblems(text)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test("finds a duplicate key at any depth, escaped or not, exactly where JSON.parse would drop a value", () => {
    fc.assert(
      fc.property(
        fc.dictionary(safeKey, jsonValue, { minKeys: 1, maxKeys: 4 }),
        fc.nat(),
        fc.array(safeKey, { maxLength: 3 }),
        fc.boolean(),
        (object, pick, path, useEscape) => {
          const keys = Object.keys(object);
          const duplicate = keys[pick % keys.length]!;
          const members = keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(object[key])}`);
          const inner = `{${[...members, `${useEscape ? escaped(duplicate) : JSON.stringify(duplicate)}:1`].join(",")}}`;
          // Wrap it in objects along `path`, so the duplicate sits at that depth.
          const text = path.reduceRight((body, key) => `{${JSON.stringify(key)}:${body}}`, inner);
          expect(Object.keys(path.reduce((o: any, key) => o[key], JSON.parse(text))).length).toBe(keys.length);
          expect(jsonKeyProblems(text)).toEqual([
            { field: [...path, duplicate].join("."), message: `duplicate key "${duplicate}"` },
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  test.each(["__proto__", "constructor", "prototype"])("refuses %s anywhere, however it is spelled", (key) => {
    expect(jsonKeyProblems(`{"${key}":{}}`)).toEqual([{ field: key, message: `the key "${key}" is not allowed` }]);
    expect(jsonKeyProblems(`{"steps":[{"name":"a","payload":{${escaped(key)}:{"admin":true}}}]}`)).toEqual([
      { field: `steps.0.payload.${key}`, message: `the key "${key}" is not allowed` },
    ]);
    // As a value, it is only text.
    expect(jsonKeyProblems(`{"name":"${key}"}`)).toEqual([]);
  });

  test("the same key in sibling objects is not a duplicate", () => {
    expect(jsonKeyProblems('{"steps":[{"name":"a"},{"name":"b"}],"x":{"name":1}}')).toEqual([]);
  });

  test("nesting deeper than the limit is refused, even deeper than the reader's stack", () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    expect(jsonKeyProblems(nested(MAX_JSON_DEPTH))).toEqual([]);
    expect(jsonKeyProblems(nested(MAX_JSON_DEPTH + 1))[0]?.field).toBe("body");
    const hostile = nested(500_000);
    JSON.parse(hostile);
    expect(jsonKeyProblems(hostile)[0]?.field).toBe("body");
  });
});
