// The life of a service process: start, run until SIGTERM/SIGINT, stop cleanly.
import client from "prom-client";
import { ConfigError } from "./config";
import { LIFELINE_ENV, watchLifeline } from "./lifeline";
import type { Logger } from "./logger";

export interface Stoppable {
  shutdown(): Promise<void>;
}

/**
 * Runs `start`, then waits for SIGTERM or SIGINT (or, under the launcher, the end
 * of its lifeline) and calls `shutdown` once.
 * A configuration error prints its list of problems and exits 1; so does any
 * other failure to start.
 */
export async function runProcess(
  name: string,
  start: () => Promise<{ logger: Logger; stoppable: Stoppable }>,
): Promise<void> {
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start();
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    console.error(`${name}: failed to start: ${message}`);
    process.exit(1);
  }
  const { logger, stoppable } = started;
  installProcessGuards(logger);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals | "launcher gone") => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, "stopping");
    stoppable.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  if (process.env[LIFELINE_ENV] === "stdin") watchLifeline(() => onSignal("launcher gone"));
}

const strayErrors = new client.Counter({
  name: "process_stray_errors_total",
  help: "Errors that escaped every handler (kind: rejection, exception); logged, the process kept running.",
  labelNames: ["kind"] as const,
});

let guardsInstalled = false;

/**
 * The last line of defence: an error that escaped every handler is logged
 * (and counted) instead of ending the process. Both kinds keep the process
 * running. A stray rejection is one request's bug by construction (every call
 * path answers its own errors). An uncaught exception is kept running too: in
 * this codebase it comes from a library callback serving one call (grpc-js
 * throwing on a header, a socket event), and exiting would turn one bad
 * request into an outage of every call in flight and, under `bun run dev`, of
 * the whole system. The error is logged at fatal with the counter
 * process_stray_errors_total, so it pages rather than hides.
 */
export function installProcessGuards(logger: Logger): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  process.on("unhandledRejection", (reason: unknown) => {
    strayErrors.inc({ kind: "rejection" });
    logger.error({ err: reason }, "unhandled promise rejection; the process keeps running");
  });
  process.on("uncaughtException", (error: Error) => {
    strayErrors.inc({ kind: "exception" });
    logger.fatal({ err: error }, "uncaught exception; the process keeps running");
  });
}
