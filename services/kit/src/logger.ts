// One pino logger per process: JSON lines on stdout, secrets redacted.
import pino, { type Bindings, type DestinationStream, type Level, type Logger } from "pino";

export type { Logger };

/** Paths that never reach a log line, whatever a caller passes in. */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "access_token",
  "*.access_token",
  "lease_token",
  "*.lease_token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "*.*.password",
  "*.*.access_token",
  "*.*.token",
  'headers["x-api-key"]',
  "*.headers.cookie",
];

/** `destination` is for tests; processes log to stdout. */
export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? "info",
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Logs at info whatever LOG_LEVEL says: "listening on port N" lines are how
 * supervisors and tests learn that a process is ready and where.
 */
export function announce(logger: Logger, fields: Record<string, unknown>, message: string): void {
  logger.child({}, { level: "info" }).info(fields, message);
}

const LEVELS: ReadonlySet<string> = new Set<Level>(["fatal", "error", "warn", "info", "debug", "trace"]);

/**
 * A child of `parent` that is only made when something is logged at an enabled
 * level (or the logger is used any other way): making one runs its bindings
 * through the redaction paths, which costs more than many a call it would serve,
 * and most calls log nothing below warn. Until then, disabled levels answer with
 * the parent's no-op.
 */
export function lazyChild(parent: Logger, bindings: () => Bindings): Logger {
  let child: Logger | undefined;
  const made = () => (child ??= parent.child(bindings()));
  return new Proxy({} as Logger, {
    get(_target, property) {
      if (
        child === undefined &&
        typeof property === "string" &&
        LEVELS.has(property) &&
        !parent.isLevelEnabled(property)
      )
        return parent[property as Level];
      const target = made();
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(_target, property, value) {
      return Reflect.set(made(), property, value);
    },
    has(_target, property) {
      return property in made();
    },
  });
}
