// The life of a service process: start, run until SIGTERM/SIGINT, stop cleanly.
import { ConfigError } from "./config";
import type { Logger } from "./logger";

export interface Stoppable {
  shutdown(): Promise<void>;
}

/**
 * Runs `start`, then waits for SIGTERM or SIGINT and calls `shutdown` once.
 * A configuration error prints its list of problems and exits 1; so does any
 * other failure to start.
 */
export async function runProcess(name: string, start: () => Promise<{ logger: Logger; stoppable: Stoppable }>): Promise<void> {
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`${name}: failed to start: ${message}`);
    process.exit(1);
  }
  const { logger, stoppable } = started;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
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
}
