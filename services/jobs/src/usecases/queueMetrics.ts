// The jobs service's Prometheus metrics, on the process's metrics port (kit's
// registry). Events (claims, lease expiries, jobs reaching a final state,
// retention) are counted as they happen in this process; the queue gauges
// (depth, oldest PENDING age, jobs per status) are read from the database on
// scrape, through one grouped, index-backed query whose answer is reused for a
// short while so scrapes cannot hammer the database.
import client from "prom-client";
import type { Job } from "../domain/job";
import type { JobRepository, StatusCount } from "../store/jobRepository";

const RUN_SECONDS_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

export const jobMetrics = {
  claimed: new client.Counter({
    name: "jobs_claimed_total",
    help: "Jobs leased to a worker, by kind.",
    labelNames: ["kind"] as const,
  }),
  leaseExpired: new client.Counter({
    name: "jobs_lease_expired_total",
    help: "Leases that ran out before the worker finished, by kind.",
    labelNames: ["kind"] as const,
  }),
  finished: new client.Counter({
    name: "jobs_finished_total",
    help: "Jobs that reached a final state, by kind and outcome (SUCCEEDED, FAILED, CANCELLED).",
    labelNames: ["kind", "outcome"] as const,
  }),
  runSeconds: new client.Histogram({
    name: "jobs_run_duration_seconds",
    help: "From a job's first start to its final state, by kind and outcome (jobs cancelled before they started are not observed).",
    labelNames: ["kind", "outcome"] as const,
    buckets: RUN_SECONDS_BUCKETS,
  }),
  retentionDeleted: new client.Counter({
    name: "jobs_retention_deleted_total",
    help: "Finished jobs deleted because they were older than JOBS_RETENTION_DAYS.",
  }),
};

/** What the jobs use cases tell the metrics. */
export interface JobObserver {
  leaseExpired(job: Job): void;
  /** `job` has just reached a final state. */
  finished(job: Job): void;
}

export const metricsObserver: JobObserver = {
  leaseExpired: (job) => jobMetrics.leaseExpired.inc({ kind: job.kind }),
  finished(job) {
    const labels = { kind: job.kind, outcome: job.status };
    jobMetrics.finished.inc(labels);
    if (job.startedAt && job.finishedAt) {
      jobMetrics.runSeconds.observe(labels, Math.max(0, job.finishedAt.getTime() - job.startedAt.getTime()) / 1000);
    }
  },
};

/** `repository`, with every successful claim counted (whoever calls it). */
export function countingClaims(repository: JobRepository): JobRepository {
  const claim: JobRepository["claim"] = async (...args) => {
    const jobs = await repository.claim(...args);
    for (const job of jobs) jobMetrics.claimed.inc({ kind: job.kind });
    return jobs;
  };
  return Object.assign(Object.create(repository) as JobRepository, { claim });
}

/** One grouped query's answer, reused for `ttlMs`; concurrent readers share one query. */
export class CachedStatusCounts {
  private value: { at: number; counts: StatusCount[] } | undefined;
  private loading: Promise<StatusCount[]> | undefined;

  constructor(
    private readonly load: () => Promise<StatusCount[]>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<StatusCount[]> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return Promise.resolve(this.value.counts);
    this.loading ??= this.load()
      .then((counts) => {
        this.value = { at: this.now(), counts };
        return counts;
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}

// The databases the gauges read: one per jobs server in this process (tests start several).
const sources = new Set<CachedStatusCounts>();

/** Makes the queue gauges read `counts` until the returned function is called. */
export function readQueueFrom(counts: CachedStatusCounts): () => void {
  sources.add(counts);
  return () => void sources.delete(counts);
}

async function allCounts(): Promise<StatusCount[]> {
  return (await Promise.all([...sources].map((source) => source.get()))).flat();
}

/** The counts of every source summed per (kind, queue[, status]); `status` undefined: PENDING only, per (kind, queue). */
async function totals(
  withStatus: boolean,
): Promise<Array<{ labels: Record<string, string>; n: number; oldest: number }>> {
  const groups = new Map<string, { labels: Record<string, string>; n: number; oldest: number }>();
  for (const c of await allCounts()) {
    if (!withStatus && c.status !== "PENDING") continue;
    const labels: Record<string, string> = withStatus
      ? { kind: c.kind, queue: c.queue, status: c.status }
      : { kind: c.kind, queue: c.queue };
    const key = Object.values(labels).join("\u0000");
    const entry = groups.get(key) ?? { labels, n: 0, oldest: Infinity };
    entry.n += c.count;
    entry.oldest = Math.min(entry.oldest, c.oldestCreatedAt.getTime());
    groups.set(key, entry);
  }
  return [...groups.values()];
}

new client.Gauge({
  name: "jobs_queue_depth",
  help: "PENDING jobs, by kind and queue.",
  labelNames: ["kind", "queue"] as const,
  async collect() {
    this.reset();
    for (const { labels, n } of await totals(false)) this.set(labels, n);
  },
});

new client.Gauge({
  name: "jobs_queue_oldest_age_seconds",
  help: "How long the oldest PENDING job of each kind and queue has waited since it was created.",
  labelNames: ["kind", "queue"] as const,
  async collect() {
    this.reset();
    const now = Date.now();
    for (const { labels, oldest } of await totals(false)) this.set(labels, Math.max(0, now - oldest) / 1000);
  },
});

new client.Gauge({
  name: "jobs_by_status",
  help: "Jobs in the database, by kind, queue and status (finished ones until retention deletes them).",
  labelNames: ["kind", "queue", "status"] as const,
  async collect() {
    this.reset();
    for (const { labels, n } of await totals(true)) this.set(labels, n);
  },
});
