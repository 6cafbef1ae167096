// The jobs scenario: how fast jobs start and drain, on this system (SQLite and
// PostgreSQL, a fresh system and database each) and on graphile-worker 0.17.3
// (baselines/graphile-worker, on Node, a database of its own on the same PostgreSQL).
//   pickup:   one job at a time with an idle worker, create → the worker has the job;
//   drain:    N noop jobs created (JOBS_IN_FLIGHT creates at a time) with the worker
//             running, from the first create until the last is acknowledged; again with
//             batched creates (CreateJobs, CREATE_BATCH per call; graphile-worker: addJobs),
//             and batched creates with the worker SDK at batchConcurrency (its claims ask
//             for up to that many jobs, max_jobs; graphile-worker: a runner at the same
//             concurrency, which fetches jobs in batches of its own);
//   CPU:      the jobs process's CPU time during the drain, per job;
//   pipeline: a 5-step chain of noop steps, create → SUCCEEDED, divided by 5;
//   worker RSS: the reference worker process (its bundle, worker/dist/main.js, as its image and `bun run dev` run it) at
//             batchConcurrency, VmRSS once it has idled a moment after start and its maximum
//             during another batched drain (the target of issue 15: ≤ 60 MB under load).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { launchSystem, startWorker, type RunningComponent, type RunningSystem } from "@platform/harness";
import { ServiceClient } from "@platform/kit";
import { createTestDatabaseUrl } from "@platform/kit/testing/db";
import { jobs, pipelines, SERVICE_NAMES } from "@platform/proto";
import { randomUUID } from "node:crypto";
import { BenchWorker } from "./jobsWorker";
import { SdkBenchWorker, type CountingWorker } from "./sdkWorker";
import { cpuMs, residentMiB, RssSampler } from "./processes";
import { BENCH_ENV } from "./system";

const BENCH_DIR = join(import.meta.dir, "..");
const GRAPHILE_DIR = join(BENCH_DIR, "baselines/graphile-worker");
const IN_FLIGHT = 16;
const PIPELINE_STEPS = 5;
/** Jobs per CreateJobs call in the batched drains. */
const CREATE_BATCH = 100;
/** The batched worker's kind (noop's twin, so the single-job worker never takes its jobs). */
const BATCHED_KIND = "noop-batched";
/** How long the reference worker idles after its ready line before its idle RSS is read. */
const WORKER_IDLE_MS = 1_000;
/** How often its RSS is sampled during the drain. */
const WORKER_RSS_SAMPLE_MS = 100;

export interface JobsSettings {
  pickupJobs: number;
  drainJobs: number;
  pipelines: number;
  concurrency: number;
  /** The batched drain's worker concurrency (the SDK's claims ask for up to that many jobs; graphile-worker's runner the same). */
  batchConcurrency: number;
  /** How long each claim waits on the jobs service (WORKER_CLAIM_WAIT_MS, as the worker SDK). */
  claimWaitMs: number;
  postgres: boolean;
  graphileWorker: boolean;
}

export interface JobsMeasurement {
  system: string;
  pickupMs: { p50: number; p99: number };
  drainJobsPerS: number;
  /** Adds in one call (graphile-worker's addJobs); null where there is none. */
  drainBatchedJobsPerS: number | null;
  /** Batched creates and a worker at batchConcurrency (the SDK's batched claims; graphile-worker's runner). */
  drainBatchedWorkerJobsPerS: number | null;
  /** CPU time per job of the queue's process during that drain. */
  cpuMsPerJobBatched: number | null;
  /** CPU time per job of the process that serves the queue (the jobs service; graphile-worker's Node process). */
  cpuMsPerJob: number;
  pipelineStepOverheadMs: number | null;
  /** VmRSS of the reference worker process: idle after start (and its file-backed part), and the maximum during a batched drain; null where there is none. */
  workerRssMiB: { idle: number; idleFile?: number; peak: number } | null;
}

export interface JobsReport {
  settings: JobsSettings & { inFlight: number };
  sqlite: JobsMeasurement | null;
  postgres: JobsMeasurement | null;
  graphileWorker: JobsMeasurement | null;
  skipped: string[];
}

export function jobsSettings(quick: boolean, env: Record<string, string | undefined> = process.env): JobsSettings {
  return {
    pickupJobs: quick ? 5 : 50,
    drainJobs: quick ? 20 : 1000,
    pipelines: quick ? 1 : 3,
    concurrency: 1,
    batchConcurrency: 16,
    claimWaitMs: Number(env.WORKER_CLAIM_WAIT_MS ?? 20_000),
    postgres: !quick,
    graphileWorker: !quick,
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** PostgreSQL is there when TEST_DATABASE_URL names a server or the Debian packages are installed. */
export function postgresAvailable(): boolean {
  if (process.env.TEST_DATABASE_URL) return true;
  const root = "/usr/lib/postgresql";
  return existsSync(root) && readdirSync(root).some((v) => existsSync(join(root, v, "bin", "postgres")));
}

export async function runJobsScenario(settings: JobsSettings, log: (line: string) => void): Promise<JobsReport> {
  const report: JobsReport = {
    settings: { ...settings, inFlight: IN_FLIGHT },
    sqlite: null,
    postgres: null,
    graphileWorker: null,
    skipped: [],
  };
  report.sqlite = await measureThisSystem("sqlite", settings, log);
  if (!settings.postgres) report.skipped.push("jobs on PostgreSQL and graphile-worker: not in quick mode");
  else if (!postgresAvailable()) report.skipped.push("jobs on PostgreSQL and graphile-worker: skipped: no PostgreSQL");
  else {
    report.postgres = await measureThisSystem("postgres", settings, log);
    if (settings.graphileWorker) {
      const why = await installGraphileWorker(log);
      if (why) report.skipped.push(`graphile-worker: ${why}`);
      else report.graphileWorker = await measureGraphileWorker(settings, log);
    }
  }
  return report;
}

async function measureThisSystem(
  backend: "sqlite" | "postgres",
  settings: JobsSettings,
  log: (line: string) => void,
): Promise<JobsMeasurement> {
  const serviceEnv =
    backend === "postgres"
      ? {
          jobs: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
          pipelines: { DATABASE_URL: await createTestDatabaseUrl("postgres") },
        }
      : {};
  const system = await launchSystem({ env: BENCH_ENV, gateways: 1, temporaryData: true, serviceEnv });
  const jobsUrl = `127.0.0.1:${system.services.jobs.port}`;
  const client = new ServiceClient(SERVICE_NAMES.jobs, jobsUrl, jobs.JobsService.service, { timeoutMs: 10_000 });
  const worker = new BenchWorker(jobsUrl, settings).start();
  const create = (name: string) =>
    client.call("CreateJob", { job_name: name, kind: "noop", owner: "bench" }, { requestId: randomUUID() });
  /** Jobs per second: `drainJobs` jobs created CREATE_BATCH per CreateJobs call until `w` acknowledged them all. */
  const drainBatched = async (w: CountingWorker, label: string, kind: string) => {
    const before = w.completed;
    const t0 = performance.now();
    for (let i = 0; i < settings.drainJobs; i += CREATE_BATCH) {
      const count = Math.min(CREATE_BATCH, settings.drainJobs - i);
      const batch = Array.from({ length: count }, (_, j) => ({
        job_name: `${label} ${i + j}`,
        kind,
        owner: "bench",
      }));
      await client.call("CreateJobs", { jobs: batch }, { requestId: randomUUID() });
    }
    await w.completedCount(before + settings.drainJobs);
    return Math.round(settings.drainJobs / ((performance.now() - t0) / 1000));
  };
  let batchedWorker: SdkBenchWorker | undefined;
  try {
    // (a) pickup, one job at a time; job -1 warms up and is not counted.
    const pickup: number[] = [];
    for (let i = -1; i < settings.pickupJobs; i++) {
      const t0 = performance.now();
      const job = await create(`pickup ${i}`);
      const claimedAt = await worker.when("claimed", job.id);
      if (i >= 0) pickup.push(claimedAt - t0);
      await worker.when("done", job.id);
      worker.forget(job.id);
      await Bun.sleep(5);
    }
    pickup.sort((a, b) => a - b);

    // (b) drain and (c) CPU per job.
    const jobsPid = system.services.jobs.pid;
    const cpu0 = cpuMs(jobsPid) ?? 0;
    const before = worker.completed;
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < settings.drainJobs) await create(`drain ${next++}`);
      }),
    );
    await worker.completedCount(before + settings.drainJobs);
    const drainS = (performance.now() - t0) / 1000;
    const cpuMsPerJob = ((cpuMs(jobsPid) ?? cpu0) - cpu0) / settings.drainJobs;
    const batchedCreates = await drainBatched(worker, "batched", "noop");

    // (d) pipelines.
    const stepOverhead = await pipelineStepOverhead(system, settings.pipelines);

    // (e) batched creates with the worker SDK at batchConcurrency, on a kind of its own (the single-job worker stays idle).
    batchedWorker = new SdkBenchWorker(jobsUrl, {
      concurrency: settings.batchConcurrency,
      claimWaitMs: settings.claimWaitMs,
      kind: BATCHED_KIND,
    }).start();
    const cpuBatched0 = cpuMs(jobsPid) ?? 0;
    const batchedWorkerRate = await drainBatched(batchedWorker, "batched-worker", BATCHED_KIND);
    const cpuMsPerJobBatched = ((cpuMs(jobsPid) ?? cpuBatched0) - cpuBatched0) / settings.drainJobs;

    // (f) the reference worker process's RSS; the other workers stop first, so it runs every noop job.
    await worker.stop();
    await batchedWorker.stop();
    const workerRssMiB = await measureReferenceWorker(system, jobsUrl, settings, client, (w) =>
      drainBatched(w, "reference-worker", "noop"),
    );
    const m: JobsMeasurement = {
      system: `this system, ${backend === "sqlite" ? "SQLite" : "PostgreSQL"}`,
      pickupMs: { p50: round(percentile(pickup, 50)), p99: round(percentile(pickup, 99)) },
      drainJobsPerS: Math.round(settings.drainJobs / drainS),
      drainBatchedJobsPerS: batchedCreates,
      drainBatchedWorkerJobsPerS: batchedWorkerRate,
      cpuMsPerJob: round(cpuMsPerJob),
      cpuMsPerJobBatched: round(cpuMsPerJobBatched),
      pipelineStepOverheadMs: stepOverhead,
      workerRssMiB,
    };
    log(`bench: jobs on ${backend}: ${JSON.stringify(m)}`);
    return m;
  } finally {
    await worker.stop().catch(() => {});
    await batchedWorker?.stop().catch(() => {});
    client.close();
    await system.stop();
  }
}

/** Jobs of one kind the jobs service has seen end (its stats), for a worker in another process. */
class EndedJobsCounter implements CountingWorker {
  completed = 0;

  constructor(
    private readonly client: ServiceClient<typeof jobs.JobsService.service>,
    private readonly kind: string,
    private readonly worker: RunningComponent,
  ) {}

  async refresh(): Promise<this> {
    const stats = await this.client.call("GetJobStats", { owner: "bench" }, { requestId: randomUUID() });
    const kind = stats.kinds.find((k) => k.kind === this.kind);
    this.completed = kind ? Number(kind.succeeded) + Number(kind.failed) : 0;
    return this;
  }

  async completedCount(count: number): Promise<void> {
    const deadline = performance.now() + 120_000;
    while ((await this.refresh()).completed < count) {
      if (performance.now() > deadline)
        throw new Error(`bench: the reference worker ended ${this.completed} of ${count} jobs in 120 s`);
      await Bun.sleep(50);
    }
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }
}

/** Starts `bun run worker` on the system's jobs service, reads its RSS idle, then its maximum during `drain`. */
async function measureReferenceWorker(
  system: RunningSystem,
  jobsUrl: string,
  settings: JobsSettings,
  client: ServiceClient<typeof jobs.JobsService.service>,
  drain: (worker: CountingWorker) => Promise<number>,
): Promise<{ idle: number; idleFile: number; peak: number }> {
  const proc = await startWorker("bench-reference-worker", {
    ...system.env,
    JOBS_SERVICE_URL: jobsUrl,
    WORKER_ID: "bench-reference-worker",
    WORKER_CONCURRENCY: String(settings.batchConcurrency),
    WORKER_CLAIM_WAIT_MS: String(settings.claimWaitMs),
  });
  const counter = new EndedJobsCounter(client, "noop", proc);
  try {
    await Bun.sleep(WORKER_IDLE_MS);
    const idle = residentMiB(proc.pid) ?? { rss: 0, file: 0 };
    await counter.refresh();
    const sampler = new RssSampler(new Map([["worker", proc.pid]]), WORKER_RSS_SAMPLE_MS).start();
    await drain(counter);
    const peak = sampler.stop().worker ?? 0;
    return { idle: round(idle.rss, 1), idleFile: round(idle.file, 1), peak };
  } finally {
    await counter.stop();
  }
}

/** Median over `count` 5-step chains of noop steps of (create → SUCCEEDED) / 5, in ms. */
async function pipelineStepOverhead(system: RunningSystem, count: number): Promise<number | null> {
  if (count === 0) return null;
  const client = new ServiceClient(
    SERVICE_NAMES.pipelines,
    `127.0.0.1:${system.services.pipelines.port}`,
    pipelines.PipelinesService.service,
    { timeoutMs: 10_000 },
  );
  const perStep: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const steps = Array.from({ length: PIPELINE_STEPS }, (_, s) => ({
        name: `s${s + 1}`,
        kind: "noop",
        depends_on: s === 0 ? [] : [`s${s}`],
      }));
      const t0 = performance.now();
      const created = await client.call(
        "CreatePipeline",
        { pipeline_name: `chain ${i}`, steps, owner: "bench" },
        { requestId: randomUUID() },
      );
      for (;;) {
        const p = await client.call("GetPipeline", { id: created.id }, { requestId: randomUUID() });
        if (p.status === "PIPELINE_STATUS_SUCCEEDED") break;
        if (p.status !== "PIPELINE_STATUS_PENDING" && p.status !== "PIPELINE_STATUS_RUNNING")
          throw new Error(`bench pipeline ended ${p.status}`);
        if (performance.now() - t0 > 60_000) throw new Error("bench pipeline did not finish in 60 s");
        await Bun.sleep(5);
      }
      perStep.push((performance.now() - t0) / PIPELINE_STEPS);
    }
  } finally {
    client.close();
  }
  perStep.sort((a, b) => a - b);
  return round(percentile(perStep, 50), 1);
}

/** `npm ci` into baselines/graphile-worker on first use; a reason when it cannot run. */
async function installGraphileWorker(log: (line: string) => void): Promise<string | undefined> {
  const node = Bun.which("node");
  if (!node) return "node is not on PATH";
  if (existsSync(join(GRAPHILE_DIR, "node_modules/graphile-worker/package.json"))) return undefined;
  const npm = Bun.which("npm");
  if (!npm) return "npm is not on PATH (needed once, to install it)";
  log("bench: installing the graphile-worker baseline (npm ci, once)");
  const proc = Bun.spawn([npm, "ci", "--no-audit", "--no-fund"], { cwd: GRAPHILE_DIR, stdout: "pipe", stderr: "pipe" });
  const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return code === 0 ? undefined : `npm ci failed: ${err.slice(-500)}`;
}

async function measureGraphileWorker(settings: JobsSettings, log: (line: string) => void): Promise<JobsMeasurement> {
  const proc = Bun.spawn([Bun.which("node")!, join(GRAPHILE_DIR, "jobs.mjs")], {
    env: {
      ...process.env,
      DATABASE_URL: await createTestDatabaseUrl("postgres"),
      JOBS_PICKUP: String(settings.pickupJobs),
      JOBS_DRAIN: String(settings.drainJobs),
      JOBS_CONCURRENCY: String(settings.concurrency),
      JOBS_IN_FLIGHT: String(IN_FLIGHT),
      JOBS_BATCH_CONCURRENCY: String(settings.batchConcurrency),
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 300_000);
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`graphile-worker baseline printed no result:\n${out}${err}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as {
    pickup: { p50: number; p99: number };
    drain: {
      single: { jobsPerS: number; cpuMsPerJob: number };
      batched: { jobsPerS: number };
      batchedConcurrent: { jobsPerS: number; cpuMsPerJob: number };
    };
  };
  const m: JobsMeasurement = {
    system: "graphile-worker 0.17.3, PostgreSQL",
    pickupMs: { p50: r.pickup.p50, p99: r.pickup.p99 },
    drainJobsPerS: r.drain.single.jobsPerS,
    drainBatchedJobsPerS: r.drain.batched.jobsPerS,
    drainBatchedWorkerJobsPerS: r.drain.batchedConcurrent.jobsPerS,
    cpuMsPerJob: r.drain.single.cpuMsPerJob,
    cpuMsPerJobBatched: r.drain.batchedConcurrent.cpuMsPerJob,
    pipelineStepOverheadMs: null,
    workerRssMiB: null,
  };
  log(`bench: jobs on graphile-worker: ${JSON.stringify(m)}`);
  return m;
}
