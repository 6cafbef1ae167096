// Turns the components' JSON log lines into one readable line each, for people.
// `bun run dev` (and the bench, as its stand-in) runs every line of every
// component through this, so it is written for speed: one pass over the
// entry's keys, levels shown from a table.
const LEVEL_COLOURS: Record<string, string> = {
  fatal: "\x1b[41m",
  error: "\x1b[31m",
  warn: "\x1b[33m",
  info: "\x1b[32m",
  debug: "\x1b[90m",
  trace: "\x1b[90m",
};
const RESET = "\x1b[0m";
const OMITTED = new Set(["level", "time", "service", "msg", "pid", "hostname"]);

/** Each level as shown, padded to one width: plain and coloured. */
const SHOWN_LEVELS = {
  plain: new Map(Object.keys(LEVEL_COLOURS).map((level) => [level, level.padEnd(5)])),
  colour: new Map(Object.entries(LEVEL_COLOURS).map(([level, code]) => [level, `${code}${level.padEnd(5)}${RESET}`])),
};

const shownValue = (value: unknown) =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : JSON.stringify(value);

export function prettyLine(prefix: string, line: string, colour: boolean): string {
  if (!line.startsWith("{")) return `${prefix} ${line}`;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  const level = String(entry.level ?? "info");
  const shownLevel = (colour ? SHOWN_LEVELS.colour : SHOWN_LEVELS.plain).get(level) ?? level.padEnd(5);
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  let rest = "";
  for (const key in entry) {
    if (OMITTED.has(key)) continue;
    rest += `${rest ? " " : "  "}${key}=${shownValue(entry[key])}`;
  }
  return `${prefix} ${time} ${shownLevel} ${entry.msg ?? ""}${rest}`;
}
