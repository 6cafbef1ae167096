// The command line: typed options, strict parsing (every mistake a UsageError,
// exit 2), global options anywhere, and the checks on ids and JSON values.
import { describe, expect, test } from "bun:test";
import { defineCommand, parseCommand, parseId, parseIntOption, parseJsonOption, splitCommandPath } from "./args";
import { UsageError } from "./exitCodes";

const command = defineCommand<undefined>()({
  summary: "test",
  args: ["<name>", "[extra]"],
  options: {
    kind: { type: "string", short: "k", description: "" },
    role: { type: "string", multiple: true, description: "" },
    watch: { type: "boolean", short: "w", description: "" },
  },
  run: () => 0,
});

describe("parseCommand", () => {
  test("positionals by name, options by their declared types, globals included", () => {
    const { values, args } = parseCommand(command, [
      "job-1",
      "-k",
      "echo",
      "--role",
      "a",
      "--role=b",
      "-w",
      "--json",
      "--url",
      "http://x",
    ]);
    expect(args).toEqual({ name: "job-1", extra: undefined });
    expect(values).toEqual({ kind: "echo", role: ["a", "b"], watch: true, json: true, url: "http://x" });
  });

  test.each([
    [["x", "--bogus"], "Unknown option '--bogus'"],
    [["x", "--kind"], "--kind"],
    [[], "missing <name>"],
    [["a", "b", "c"], 'unexpected argument "c"'],
    [["x", "--watch=yes"], "--watch"],
  ])("%p is a usage error (%s)", (argv, message) => {
    expect(() => parseCommand(command, argv)).toThrow(UsageError);
    expect(() => parseCommand(command, argv)).toThrow(message);
  });

  test("--help needs nothing else", () => {
    expect(parseCommand(command, ["--help"]).values.help).toBe(true);
  });

  test("after --, a value that looks like an option is a positional", () => {
    expect(parseCommand(command, ["--", "--odd-name"]).args.name).toBe("--odd-name");
  });
});

describe("splitCommandPath", () => {
  const twoWords = (words: string[]) => words.length >= 2;
  test("finds the command words around global options, keeping their values", () => {
    expect(splitCommandPath(["--url", "http://x", "jobs", "--json", "get", "5"], twoWords)).toEqual({
      path: ["jobs", "get"],
      rest: ["--url", "http://x", "--json", "5"],
    });
    expect(splitCommandPath(["jobs", "list", "--status", "FAILED"], twoWords)).toEqual({
      path: ["jobs", "list"],
      rest: ["--status", "FAILED"],
    });
  });
});

describe("values", () => {
  test.each(["1", "42", String(Number.MAX_SAFE_INTEGER)])("id %s", (value) => {
    expect(parseId(value)).toBe(Number(value));
  });
  test.each(["0", "-1", "1.5", "abc", "01", String(Number.MAX_SAFE_INTEGER + 1), "99999999999999999", ""])(
    "id %p is refused",
    (value) => {
      expect(() => parseId(value)).toThrow(UsageError);
    },
  );

  test("integers and JSON options", () => {
    expect(parseIntOption("-3", "priority")).toBe(-3);
    expect(parseIntOption(undefined, "priority")).toBeUndefined();
    expect(() => parseIntOption("2x", "priority")).toThrow("--priority must be a whole number");
    expect(parseJsonOption('{"a":[1]}', "payload")).toEqual({ a: [1] });
    expect(parseJsonOption('"text"', "payload")).toBe("text");
    expect(() => parseJsonOption("{a:1}", "payload")).toThrow("--payload must be JSON");
  });
});
