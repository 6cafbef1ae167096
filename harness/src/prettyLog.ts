// Turns the components' JSON log lines into one readable line each, for people.
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

export function prettyLine(prefix: string, line: string, colour: boolean): string {
  if (!line.startsWith("{")) return `${prefix} ${line}`;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const level = String(entry.level ?? "info");
    const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
    const rest = Object.entries(entry)
      .filter(([key]) => !OMITTED.has(key))
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    const shownLevel = colour ? `${LEVEL_COLOURS[level] ?? ""}${level.padEnd(5)}${RESET}` : level.padEnd(5);
    return `${prefix} ${time} ${shownLevel} ${entry.msg ?? ""}${rest ? `  ${rest}` : ""}`;
  } catch {
    return `${prefix} ${line}`;
  }
}
