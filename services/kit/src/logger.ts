// One pino logger per process: JSON lines on stdout, secrets redacted.
import pino, { type DestinationStream, type Logger } from "pino";

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
