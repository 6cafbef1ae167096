// The template language of step payloads: parsing, lookup through own
// properties only, typed whole-string references, stringified embedded ones,
// and hostile input (prototype keys, deep nesting, unterminated braces, huge
// expansions) answered with a TemplateError, never a crash or a surprise.
import { describe, expect, test } from "bun:test";
import {
  lookup,
  MAX_PATH_SEGMENTS,
  parseTemplate,
  referencesIn,
  renderPayload,
  TemplateError,
  transformStrings,
  type TemplateScope,
} from "./template";

const STEPS = new Set(["fetch", "train.v2", "train"]);
const scope = (params: Record<string, unknown>, results: Record<string, unknown> = {}): TemplateScope => ({
  params,
  result: (step) => results[step],
});
const render = (payload: unknown, params: Record<string, unknown> = {}, results: Record<string, unknown> = {}) =>
  JSON.parse(renderPayload(JSON.stringify(payload), scope(params, results), STEPS, 64 * 1024)) as unknown;
const renderError = (payload: unknown, params: Record<string, unknown> = {}, results: Record<string, unknown> = {}) => {
  try {
    render(payload, params, results);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return (error as Error).message;
  }
  throw new Error("rendered");
};
const parseError = (text: string) => {
  try {
    parseTemplate(text, STEPS);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return (error as Error).message;
  }
  throw new Error("parsed");
};

describe("parseTemplate", () => {
  test("literal text and references, whitespace inside the braces optional", () => {
    expect(parseTemplate("no templates", STEPS)).toEqual(["no templates"]);
    expect(parseTemplate("a {{params.x}} b {{ steps.fetch.result.rows[2].id }}", STEPS)).toEqual([
      "a ",
      { root: "params", path: ["x"], source: "{{params.x}}" },
      " b ",
      { root: "steps", step: "fetch", path: ["rows", 2, "id"], source: "{{ steps.fetch.result.rows[2].id }}" },
    ]);
  });

  test("a step name with dots: the longest step name followed by .result", () => {
    expect(parseTemplate("{{ steps.train.v2.result.score }}", STEPS)).toEqual([
      { root: "steps", step: "train.v2", path: ["score"], source: "{{ steps.train.v2.result.score }}" },
    ]);
    expect(parseTemplate("{{ steps.train.result }}", STEPS)[0]).toMatchObject({ step: "train", path: [] });
  });

  test("malformed references say what is wrong", () => {
    expect(parseError("x {{ params.a")).toBe('"{{" at character 2 has no closing "}}"');
    expect(parseError("{{ {{ params.a }}")).toContain('has no closing "}}" before the next "{{"');
    expect(parseError("{{ }}")).toBe("{{ }}: empty reference");
    expect(parseError("{{ env.HOME }}")).toBe('{{ env.HOME }}: a reference starts with "params." or "steps."');
    expect(parseError("{{ steps.nope.result }}")).toBe("{{ steps.nope.result }}: there is no step nope");
    expect(parseError("{{ steps.fetch.rows }}")).toContain("expected steps.<step>.result");
    expect(parseError("{{ params.a..b }}")).toContain("an empty name is not a name");
    expect(parseError("{{ params.a[x] }}")).toContain('expected "." or "[index]"');
    expect(parseError("{{ params['a'] }}")).toContain("expected");
    expect(parseError("{{ params.a b }}")).toContain('"a b" is not a name');
    expect(parseError("{{ params.constructor() }}")).toContain("is not a name");
    expect(parseError("{{ 1 + 1 }}")).toContain("is not a name");
  });

  test("a stray }} is text", () => {
    expect(parseTemplate("a }} b", STEPS)).toEqual(["a }} b"]);
  });

  test(`a path of more than ${MAX_PATH_SEGMENTS} parts is refused`, () => {
    expect(parseTemplate(`{{ params${".a".repeat(MAX_PATH_SEGMENTS)} }}`, STEPS)).toHaveLength(1);
    expect(parseError(`{{ params${".a".repeat(MAX_PATH_SEGMENTS + 1)} }}`)).toContain(
      `at most ${MAX_PATH_SEGMENTS} parts`,
    );
    expect(parseError(`{{ params${".a".repeat(100_000)} }}`)).toContain("at most");
  });

  test("a long source is shortened in messages", () => {
    expect(parseError(`{{ ${"x".repeat(500)} }}`).length).toBeLessThan(200);
    expect(parseError(`{{ ${"🚀".repeat(100)} }}`).isWellFormed()).toBe(true);
  });

  test("messages are well-formed text even when the payload has a lone surrogate", () => {
    expect(parseError("{{ params.x\uD800y }}").isWellFormed()).toBe(true);
    expect(parseTemplate("{{ params.a }}\uD800", STEPS)).toHaveLength(2);
    expect(renderError({ a: "{{ params.x\uDC00 }}" }).isWellFormed()).toBe(true);
  });
});

describe("lookup", () => {
  test("own keys and array indexes only", () => {
    const data = JSON.parse('{"a":{"b":[10,{"c":"x"}]},"__proto__":{"p":1}}') as unknown;
    expect(lookup(data, ["a", "b", 1, "c"])).toEqual({ found: true, value: "x" });
    expect(lookup(data, ["a", "b", "0"])).toEqual({ found: true, value: 10 });
    expect(lookup(data, ["__proto__", "p"])).toEqual({ found: true, value: 1 });
    for (const path of [["constructor"], ["toString"], ["a", "hasOwnProperty"], ["a", "b", "length"], ["a", "b", 2]])
      expect(lookup(data, path).found).toBe(false);
    expect(lookup({}, ["__proto__"]).found).toBe(false);
    expect(lookup("text", ["length"]).found).toBe(false);
    expect(lookup(null, ["a"])).toEqual({ found: false, missing: ["a"] });
  });
});

describe("renderPayload", () => {
  test("a whole-string reference keeps the JSON type; an embedded one is text", () => {
    const results = { fetch: { count: 3, rows: [{ id: 7 }], ok: true, none: null } };
    expect(
      render(
        {
          count: "{{ steps.fetch.result.count }}",
          rows: "{{ steps.fetch.result.rows }}",
          ok: "{{steps.fetch.result.ok}}",
          none: "{{ steps.fetch.result.none }}",
          label: "rows: {{ steps.fetch.result.count }} in {{ params.region }}",
          object: "got {{ steps.fetch.result.rows }}",
          spaced: " {{ params.region }}",
          nested: [{ deep: "{{ params.region }}" }],
        },
        { region: "eu" },
        results,
      ),
    ).toEqual({
      count: 3,
      rows: [{ id: 7 }],
      ok: true,
      none: null,
      label: "rows: 3 in eu",
      object: 'got [{"id":7}]',
      spaced: " eu",
      nested: [{ deep: "eu" }],
    });
  });

  test("a payload without templates is passed on as it is", () => {
    const text = '{ "a" : 1 }';
    expect(renderPayload(text, scope({}), STEPS, 100)).toBe(text);
  });

  test("keys are never templates, and a __proto__ key stays a plain key", () => {
    const out = renderPayload('{"__proto__":"{{ params.x }}","{{ params.x }}":1}', scope({ x: 5 }), STEPS, 1000);
    expect(JSON.parse(out)).toEqual(JSON.parse('{"__proto__":5,"{{ params.x }}":1}'));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test("rendering is one pass: a value that looks like a template stays text", () => {
    expect(
      render({ a: "{{ params.open }}", b: "x{{ params.open }}" }, { open: "{{ params.secret }}", secret: 1 }),
    ).toEqual({ a: "{{ params.secret }}", b: "x{{ params.secret }}" });
  });

  test("a missing value names the reference and where it stopped", () => {
    expect(renderError({ a: "{{ params.user.name }}" }, { user: {} })).toBe(
      "{{ params.user.name }}: the parameters have nothing at user.name",
    );
    expect(renderError({ a: "{{ steps.fetch.result.rows[3] }}" }, {}, { fetch: { rows: [] } })).toBe(
      "{{ steps.fetch.result.rows[3] }}: step fetch's result has nothing at rows[3]",
    );
    expect(renderError({ a: "{{ steps.fetch.result }}" })).toBe("{{ steps.fetch.result }}: step fetch has no result");
    expect(renderError({ a: "{{ params.constructor }}" })).toContain("nothing at constructor");
    expect(renderError({ a: "{{ params.__proto__ }}" })).toContain("nothing at __proto__");
  });

  test("a payload that would grow past the limit is refused before it is built", () => {
    const big = "x".repeat(1000);
    const many = Array.from({ length: 100_000 }, () => "{{ params.big }}").join("");
    expect(() => renderPayload(JSON.stringify({ a: many }), scope({ big }), STEPS, 64 * 1024)).toThrow(
      "the rendered payload would be over 65536 bytes",
    );
    expect(() =>
      renderPayload(JSON.stringify(Array(100).fill("{{ params.big }}")), scope({ big }), STEPS, 64 * 1024),
    ).toThrow(TemplateError);
  });

  test("deeply nested payloads render without exhausting the stack", () => {
    const depth = 30_000;
    const payload = `${"[".repeat(depth)}"{{ params.x }}"${"]".repeat(depth)}`;
    const out = renderPayload(payload, scope({ x: 1 }), STEPS, 64 * 1024);
    expect(out).toBe(`${"[".repeat(depth)}1${"]".repeat(depth)}`);
  });
});

describe("referencesIn and transformStrings", () => {
  test("every reference in every string value", () => {
    const refs = referencesIn({ a: ["{{ params.x }} {{ steps.fetch.result }}"], b: { c: "{{params.y}}" } }, STEPS);
    expect(refs.map((r) => r.source).sort()).toEqual(["{{ params.x }}", "{{ steps.fetch.result }}", "{{params.y}}"]);
  });

  test("a copy, order kept, other values untouched", () => {
    const value = { a: [1, "s", null, true, { b: "t" }], c: 2.5 };
    expect(transformStrings(value, (s) => s.toUpperCase())).toEqual({ a: [1, "S", null, true, { b: "T" }], c: 2.5 });
    expect(value.a[1]).toBe("s");
  });
});
