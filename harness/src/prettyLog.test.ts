import { describe, expect, test } from "bun:test";
import { prettyLine } from "./prettyLog";

const line = (entry: Record<string, unknown>) => JSON.stringify(entry);

describe("prettyLine", () => {
  test("a log entry: prefix, time of day, padded level, message, then the other fields in their order", () => {
    const shown = prettyLine(
      "[gateway-1]",
      line({
        level: "info",
        time: "2026-12-03T12:55:01.123Z",
        service: "gateway",
        pid: 7,
        hostname: "h",
        requestId: "r-1",
        status: 200,
        ms: 1.5,
        roles: ["user"],
        ok: true,
        missing: null,
        msg: "request served",
      }),
      false,
    );
    expect(shown).toBe(
      '[gateway-1] 12:55:01.123 info  request served  requestId=r-1 status=200 ms=1.5 roles=["user"] ok=true missing=null',
    );
  });

  test("the level is coloured for a terminal, and reset after", () => {
    expect(prettyLine("[users]", line({ level: "warn", msg: "careful" }), true)).toBe(
      "[users]  \x1b[33mwarn \x1b[0m careful",
    );
    expect(prettyLine("[users]", line({ level: "error", msg: "x" }), false)).toBe("[users]  error x");
  });

  test("an entry without fields, level or message still reads", () => {
    expect(prettyLine("[p]", "{}", false)).toBe("[p]  info  ");
    expect(prettyLine("[p]", line({ level: "custom", msg: "m" }), true)).toBe("[p]  custom m");
  });

  test("lines that are not JSON objects are shown as they came", () => {
    for (const raw of ["plain text", "{not json", "[1,2]", ""])
      expect(prettyLine("[p]", raw, false)).toBe(`[p] ${raw}`);
  });
});
