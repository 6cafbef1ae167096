// Commands as data: each declares its positionals and options once; node:util's
// parseArgs (strict: an unknown option is an error) reads the command line, and
// the same declarations print the help. Every mistake is a UsageError (exit 2).
import { parseArgs } from "node:util";
import { UsageError } from "./exitCodes";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** May be given more than once (the values come as a list). */
  multiple?: boolean;
  /** Shown in the help: what the value is, e.g. "<url>". */
  value?: string;
  description: string;
}
export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed options, typed from their declarations. */
export type Values<O extends OptionSpecs> = {
  [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : O[K]["multiple"] extends true ? string[] : string;
};

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  url: {
    type: "string",
    value: "<url>",
    description: "the gateway or edge (default: $PLATFORM_URL, the saved one, or http://localhost:8080)",
  },
  json: { type: "boolean", description: "JSON on stdout for scripts (one object per line while watching)" },
  help: { type: "boolean", short: "h", description: "show help" },
} as const satisfies OptionSpecs;
export type GlobalValues = Values<typeof GLOBAL_OPTIONS>;

export interface Invocation<O extends OptionSpecs, C> {
  values: Values<O> & GlobalValues;
  /** By name, as declared in `args` (without <> or []). */
  args: Record<string, string | undefined>;
  context: C;
}

export interface Command<O extends OptionSpecs = OptionSpecs, C = unknown> {
  summary: string;
  /** Positionals: "<name>" required, "[name]" optional. */
  args?: readonly string[];
  options?: O;
  /** Resolves to the exit code (0 when nothing is returned). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a command that always succeeds returns nothing
  run(invocation: Invocation<O, C>): Promise<number | void> | number | void;
}

export type Group<C> = { summary: string; commands: Record<string, Command<OptionSpecs, C>> };
export type CommandTree<C> = Record<string, Command<OptionSpecs, C> | Group<C>>;

export const isGroup = <C>(entry: Command<OptionSpecs, C> | Group<C>): entry is Group<C> => "commands" in entry;

/** Typed declarations for one command (the options' types flow into `run`). */
export const defineCommand =
  <C>() =>
  <const O extends OptionSpecs = Record<never, OptionSpec>>(command: Command<O, C>) =>
    command;

const argName = (arg: string) => arg.replace(/^[<[]|[>\]]$/g, "");
const isOptional = (arg: string) => arg.startsWith("[");

/** Finds the command words (e.g. `jobs list`) wherever global options stand among them. */
export function splitCommandPath(
  argv: readonly string[],
  depth: (words: string[]) => boolean,
): {
  path: string[];
  rest: string[];
} {
  const path: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (token.startsWith("-")) {
      rest.push(token);
      // A global option that takes a value keeps it: `--url http://x jobs list`.
      const name = token.replace(/^--?/, "");
      const spec = (GLOBAL_OPTIONS as OptionSpecs)[name];
      if (spec?.type === "string" && !token.includes("=") && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    if (depth(path)) rest.push(token);
    else path.push(token);
  }
  return { path, rest };
}

/** Parses one command's arguments; a UsageError names what is wrong. */
export function parseCommand<O extends OptionSpecs, C>(
  command: Command<O, C>,
  argv: readonly string[],
): { values: Values<O> & GlobalValues; args: Record<string, string | undefined> } {
  const options = { ...GLOBAL_OPTIONS, ...command.options } as OptionSpecs;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(options).map(([name, spec]) => [
          name,
          {
            type: spec.type,
            ...(spec.short ? { short: spec.short } : {}),
            ...(spec.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const values = parsed.values as Values<O> & GlobalValues;
  if (values.help) return { values, args: {} };
  const declared = command.args ?? [];
  const positionals = parsed.positionals;
  if (positionals.length > declared.length)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[declared.length])}`);
  const args: Record<string, string | undefined> = {};
  declared.forEach((arg, i) => {
    const value = positionals[i];
    if (value === undefined && !isOptional(arg)) throw new UsageError(`missing ${arg}`);
    args[argName(arg)] = value;
  });
  return { values, args };
}

/** A positive integer id (1 … 2^53−1), as the API takes them. */
export function parseId(value: string | undefined, what = "id"): number {
  if (value === undefined || !/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(
      `${what} must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (got ${JSON.stringify(value ?? "")})`,
    );
  return Number(value);
}

/** An integer option, within bounds when given. */
export function parseIntOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?[0-9]{1,15}$/.test(value))
    throw new UsageError(`--${name} must be a whole number (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** A JSON option value (`--payload '{"a":1}'`). */
export function parseJsonOption(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--${name} must be JSON: ${(error as Error).message}`);
  }
}

const optionLine = (name: string, spec: OptionSpec) =>
  [
    `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`,
    spec.description + (spec.multiple ? " (repeatable)" : ""),
  ] as const;

function columns(rows: readonly (readonly [string, string])[], indent = "  "): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

/** The help of one command. */
export function commandHelp(program: string, path: readonly string[], command: Command<OptionSpecs, unknown>): string {
  const args = command.args?.length ? ` ${command.args.join(" ")}` : "";
  const own = Object.entries((command.options ?? {}) as OptionSpecs).map(([n, s]) => optionLine(n, s));
  const global = Object.entries(GLOBAL_OPTIONS as OptionSpecs).map(([n, s]) => optionLine(n, s));
  return [
    `Usage: ${program} ${path.join(" ")}${args} [options]`,
    "",
    command.summary,
    ...(own.length ? ["", "Options:", ...columns(own)] : []),
    "",
    "Global options:",
    ...columns(global),
  ].join("\n");
}

/** The help of the program or of one group. */
export function treeHelp<C>(program: string, tree: CommandTree<C>, group?: string): string {
  const rows: [string, string][] = [];
  const entries = group ? { [group]: tree[group]! } : tree;
  for (const [name, entry] of Object.entries(entries)) {
    if (isGroup(entry))
      for (const [sub, command] of Object.entries(entry.commands))
        rows.push([`${name} ${sub}${command.args?.length ? ` ${command.args.join(" ")}` : ""}`, command.summary]);
    else rows.push([`${name}${entry.args?.length ? ` ${entry.args.join(" ")}` : ""}`, entry.summary]);
  }
  return [
    `Usage: ${program} ${group ?? "<command>"} ${group ? "<action>" : ""} [options]`.replace(/ +/g, " "),
    "",
    "Commands:",
    ...columns(rows),
    "",
    `\`${program} <command> --help\` shows a command's options; exit codes are listed in docs/cli.md.`,
  ].join("\n");
}

/** A value the command cannot go without. */
export function required(value: string | undefined, option: string): string {
  if (value === undefined || value === "") throw new UsageError(`missing ${option}`);
  return value;
}
