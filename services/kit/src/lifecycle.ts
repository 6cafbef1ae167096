// How every process stops: one ordered list of stop steps, and one way to give
// a drain a deadline. The gRPC server, the gateway's HTTP server and the worker
// all drain with drainWithin; every process's shutdown is a Lifecycle.
import type { Logger } from "./logger";

/**
 * Runs `drain`; if it has not finished within `ms`, runs `force` (which should
 * make `drain` end, e.g. by cutting connections) and waits for it. Resolves
 * true when the drain finished in time, false when it had to be forced.
 */
export async function drainWithin(ms: number, drain: () => Promise<unknown>, force: () => unknown): Promise<boolean> {
  let timer: Timer | undefined;
  const drained = drain().then(() => true);
  const inTime = await Promise.race([
    drained,
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (inTime) return true;
  await force();
  return false;
}

export interface StopStep {
  /** What stops, for the log: "gRPC server", "metrics", "tracing". */
  name: string;
  stop(): unknown;
}

/**
 * The ordered stop steps of a process: steps run one after another in the
 * order they were added (add what must stop first, first: the server drains
 * before the database it uses closes). Stopping runs once; a step that fails
 * is logged and the later steps still run, then the first failure is thrown.
 */
export class Lifecycle {
  private readonly steps: StopStep[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger?: Logger) {}

  /** Adds a step to the end of the stop order. */
  onStop(name: string, stop: () => unknown): this {
    this.steps.push({ name, stop });
    return this;
  }

  /** Runs every step in order, once; later calls get the same promise. */
  shutdown(): Promise<void> {
    return (this.stopping ??= this.run());
  }

  private async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps) {
      try {
        await step.stop();
      } catch (error) {
        this.logger?.error({ err: error, step: step.name }, "stop step failed");
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
