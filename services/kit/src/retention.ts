// Retention: deletes finished records older than a configured age in the
// background, in bounded batches with a pause between them, so a large backlog
// never holds a long write lock or one huge transaction. What "old" and
// "finished" mean is the caller's `deleteBatch`; this only paces it.
import type { Logger } from "./logger";
import type { BackgroundTask } from "./service";

export interface RetentionOptions {
  /** What is being deleted, for logs: "jobs". */
  name: string;
  /** Records finished before now − maxAgeMs go. */
  maxAgeMs: number;
  /** Deletes up to `limit` records finished before `cutoff`; how many it deleted. */
  deleteBatch(cutoff: Date, limit: number): Promise<number>;
  /** How often a pass runs. */
  intervalMs: number;
  /** Records per statement. */
  batchSize?: number;
  /** The wait between two batches of one pass. */
  pauseMs?: number;
  /** Called with the count after every batch (a metric). */
  onDeleted?(count: number): void;
  /** The clock (tests pass their own). */
  now?: () => Date;
  logger: Logger;
}

export const RETENTION_BATCH_SIZE = 500;
export const RETENTION_PAUSE_MS = 100;
export const DAY_MS = 24 * 60 * 60_000;

export class Retention {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<number> | undefined;
  private started = false;
  private stopping = false;

  constructor(private readonly options: RetentionOptions) {}

  /** One pass: batches until one comes back short; the number deleted. Concurrent calls share the pass. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    const { maxAgeMs, deleteBatch, onDeleted } = this.options;
    const batchSize = this.options.batchSize ?? RETENTION_BATCH_SIZE;
    const pauseMs = this.options.pauseMs ?? RETENTION_PAUSE_MS;
    const cutoff = new Date((this.options.now?.() ?? new Date()).getTime() - maxAgeMs);
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(cutoff, batchSize);
      total += deleted;
      if (deleted > 0) onDeleted?.(deleted);
      if (deleted < batchSize || this.stopping) break;
      if (pauseMs > 0) await Bun.sleep(pauseMs);
    }
    if (total > 0) this.options.logger.info({ deleted: total, cutoff }, `retention deleted old ${this.options.name}`);
    return total;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    const tick = () => {
      this.runOnce()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, `${this.options.name} retention failed`))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops scheduling passes; a pass in progress ends after its current batch. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    clearTimeout(this.timer);
    await this.running?.catch(() => 0);
  }
}

/**
 * Retention as a service's background tasks: one task deleting records older than
 * `days`, or none when `days` is 0 (keep them forever). Spread it into `tasks`.
 */
export function retentionTasks(options: Omit<RetentionOptions, "maxAgeMs"> & { days: number }): BackgroundTask[] {
  if (options.days <= 0) return [];
  const { days, ...rest } = options;
  const retention = new Retention({
    ...rest,
    maxAgeMs: days * DAY_MS,
    logger: options.logger.child({ module: "retention" }),
  });
  return [{ name: "retention", start: () => retention.start(), stop: () => retention.stop() }];
}
