// One pino logger per process: JSON lines on stdout, secrets redacted.
import pino, { type Bindings, type DestinationStream, type Level, type Logger } from "pino";

export type { Logger };

/** Keys whose values never reach a log line, at whatever depth (up to REDACT_DEPTH) a caller puts them. */
export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  "password",
  "token",
  "access_token",
  "lease_token",
  "authorization",
  "cookie",
  "x-api-key",
]);
const CENSOR = "[redacted]";
const REDACT_DEPTH = 4;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * `value` with the value of every REDACTED_KEYS key censored, in plain objects and
 * arrays down to REDACT_DEPTH; the very same object when it holds none, and never
 * changed itself (what is censored is a copy). pino's own `redact` (fast-redact)
 * did this with wildcard paths at 10-15 µs a line, ten times the cost of the rest
 * of the line, on every request the gateway logs; this walk costs well under one.
 */
export function redact<T>(value: T, depth = 1): T {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const censored = depth < REDACT_DEPTH ? redact(item, depth + 1) : item;
      if (censored !== item) (copy ??= [...value])[i] = censored;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const item = value[key];
    const censored =
      REDACTED_KEYS.has(key.toLowerCase()) && item !== undefined
        ? CENSOR
        : depth < REDACT_DEPTH && typeof item === "object"
          ? redact(item, depth + 1)
          : item;
    if (censored !== item) (copy ??= { ...value })[key] = censored;
  }
  return (copy ?? value) as T;
}

/**
 * Hands `sink` what was written during one turn of the event loop as one write:
 * under load one turn serves many requests, and a write(2) per log line cost
 * the gateway as much as a tenth of a request's CPU. A line waits for the end of
 * its turn at most (an idle process prints at once); `flush` writes the rest now.
 */
export function perTurn(sink: { write(chunk: string): unknown }): DestinationStream & { flush(): void } {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    sink.write(chunk);
  };
  return {
    write(line: string) {
      pending += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** The process's stdout, per turn; pino's sonic-boom writes it (a full pipe is retried, not dropped), and exit writes what is left. */
function stdoutPerTurn(): DestinationStream {
  const stdout = perTurn(pino.destination({ dest: 1, sync: true }));
  process.on("exit", stdout.flush);
  return stdout;
}

let processStdout: DestinationStream | undefined;

/** `destination` is for tests; processes log to stdout, each through the same stdoutPerTurn(). */
export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? "info",
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), bindings: redact, log: redact },
  };
  const logger = pino(options, destination ?? (processStdout ??= stdoutPerTurn()));
  // pino formats the root's bindings only: a child's go through redact here (every descendant inherits this method).
  const child: (this: Logger, bindings: Bindings, options?: pino.ChildLoggerOptions) => Logger = logger.child;
  logger.child = function (this: Logger, bindings: Bindings, childOptions?: pino.ChildLoggerOptions) {
    return child.call(this, redact(bindings), childOptions);
  } as unknown as Logger["child"];
  return logger;
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
 * level (or the logger is used any other way): making one redacts and serializes
 * its bindings, which costs more than many a call it would serve, and most calls
 * log nothing below warn. Until then, disabled levels answer with
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
