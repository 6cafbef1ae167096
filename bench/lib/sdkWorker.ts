// The jobs scenario's batched worker: the worker SDK itself (@platform/worker),
// noop handlers at `concurrency` jobs at once, so its claims ask for up to as many
// jobs as it has idle slots (max_jobs). Counts jobs once their completion is
// acknowledged (the SDK's call hook). BENCH_WORKER_OPTIONS (JSON) is merged into
// the SDK's options, to switch on what the SDK gains (e.g. batched completions)
// without editing the bench.
import { createLogger } from "@platform/kit";
import { createWorker, type Worker, type WorkerOptions } from "@platform/worker";

/** What a drain waits on: jobs acknowledged so far. */
export interface CountingWorker {
  readonly completed: number;
  completedCount(count: number): Promise<void>;
  stop(): Promise<void>;
}

/** Jobs a completion call acknowledges: one for CompleteJob, the length of a batch's list otherwise. */
function acknowledged(method: string, request: object): number {
  if (method === "CompleteJob") return 1;
  if (!method.startsWith("Complete")) return 0;
  const list = Object.values(request).find(Array.isArray);
  return list ? list.length : 1;
}

export function extraWorkerOptions(env: Record<string, string | undefined> = process.env): Partial<WorkerOptions> {
  if (!env.BENCH_WORKER_OPTIONS) return {};
  const parsed: unknown = JSON.parse(env.BENCH_WORKER_OPTIONS);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error("BENCH_WORKER_OPTIONS must be a JSON object of worker SDK options");
  return parsed as Partial<WorkerOptions>;
}

export class SdkBenchWorker implements CountingWorker {
  completed = 0;
  private readonly worker: Worker;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(jobsServiceUrl: string, options: { concurrency: number; claimWaitMs: number; kind: string }) {
    this.worker = createWorker({
      jobsServiceUrl,
      workerId: "bench-sdk-worker",
      concurrency: options.concurrency,
      claimWaitMs: options.claimWaitMs,
      callTimeoutMs: 10_000,
      logger: createLogger("bench-worker", "warn"),
      hooks: {
        job: (_job, run) => run(),
        call: async (method, request, send) => {
          const answer = await send();
          const n = acknowledged(method, request);
          if (n > 0) this.acknowledge(n);
          return answer;
        },
      },
      ...extraWorkerOptions(),
    }).handle(options.kind, () => "");
  }

  start(): this {
    this.worker.start();
    return this;
  }

  private acknowledge(n: number): void {
    this.completed += n;
    this.waiters = this.waiters.filter((w) => {
      if (this.completed < w.count) return true;
      w.resolve();
      return false;
    });
  }

  completedCount(count: number): Promise<void> {
    if (this.completed >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  stop(): Promise<void> {
    return this.worker.stop(1_000);
  }
}
