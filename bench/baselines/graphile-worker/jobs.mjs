// Baseline of the jobs scenario: graphile-worker 0.17.3 on Node, against the same
// PostgreSQL as this system (a database of its own). Measures what bench/lib/jobs.ts
// measures for the jobs service, the same way:
//   pickup: one job at a time with an idle runner, addJob → the task function starts;
//   drain:  N noop jobs added (one addJob per job, JOBS_IN_FLIGHT adds at a time; then
//           again with one addJobs call), from the first add until the last is done;
//           then one addJobs call drained by a runner at JOBS_BATCH_CONCURRENCY.
// Env: DATABASE_URL, JOBS_PICKUP (jobs), JOBS_DRAIN (jobs), JOBS_CONCURRENCY, JOBS_IN_FLIGHT,
// JOBS_BATCH_CONCURRENCY.
// Prints one line: BENCH_RESULT {json}.
import { performance } from "node:perf_hooks";
import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error("DATABASE_URL is required");
const pickupJobs = Number(process.env.JOBS_PICKUP ?? 200);
const drainJobs = Number(process.env.JOBS_DRAIN ?? 1000);
const concurrency = Number(process.env.JOBS_CONCURRENCY ?? 1);
const inFlight = Number(process.env.JOBS_IN_FLIGHT ?? 16);
const batchConcurrency = Number(process.env.JOBS_BATCH_CONCURRENCY ?? 16);

const quiet = new Logger(() => (level, message) => {
  if (level === "error") console.error(message);
});

/** Called with the payload's `i` when a task function starts. */
let onStart = () => {};
const runnerOptions = {
  connectionString,
  concurrency,
  noHandleSignals: true,
  pollInterval: 2000, // the default; an idle runner is woken by LISTEN/NOTIFY, not by polling
  logger: quiet,
  taskList: {
    noop: async (payload) => {
      onStart(payload.i);
    },
  },
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

await runMigrations({ connectionString, logger: quiet });
const utils = await makeWorkerUtils({ connectionString, logger: quiet });

// (a) pickup latency with an idle runner.
const runner = await run(runnerOptions);
const done = new Map();
runner.events.on("job:complete", ({ job }) => done.get(job.payload?.i)?.());
const pickup = [];
// Job -1 warms up (the runner's LISTEN connection, prepared statements) and is not counted.
for (let i = -1; i < pickupJobs; i++) {
  const t0 = performance.now();
  const started = new Promise((resolve) => {
    onStart = () => resolve(performance.now());
  });
  const completed = new Promise((resolve) => done.set(i, resolve));
  await utils.addJob("noop", { i });
  const at = await started;
  if (i >= 0) pickup.push(at - t0);
  await completed;
  done.delete(i);
  // Idle again before the next one, like a worker that has nothing to do.
  await new Promise((resolve) => setTimeout(resolve, 5));
}
pickup.sort((a, b) => a - b);

// (b) drain: N jobs, from the first add until the last is done.
async function drain(addAll, runner) {
  let completed = 0;
  onStart = () => {};
  const all = new Promise((resolve) => {
    runner.events.on("job:complete", function listener() {
      completed += 1;
      if (completed === drainJobs) {
        runner.events.off("job:complete", listener);
        resolve();
      }
    });
  });
  const cpu0 = cpuMs();
  const t0 = performance.now();
  await addAll();
  await all;
  const seconds = (performance.now() - t0) / 1000;
  return {
    jobsPerS: Math.round(drainJobs / seconds),
    seconds: round(seconds, 3),
    cpuMsPerJob: round((cpuMs() - cpu0) / drainJobs),
  };
}

const single = await drain(async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < drainJobs) await utils.addJob("noop", { i: next++ });
    }),
  );
}, runner);
const addAll = () =>
  utils.addJobs(Array.from({ length: drainJobs }, (_, i) => ({ identifier: "noop", payload: { i } })));
const batched = await drain(addAll, runner);
await runner.stop();

// (c) the batched drain again with a runner at the batched worker's concurrency.
const wide = await run({ ...runnerOptions, concurrency: batchConcurrency });
const batchedConcurrent = await drain(addAll, wide);
await wide.stop();

await utils.release();
console.log(
  `BENCH_RESULT ${JSON.stringify({
    system: "graphile-worker 0.17.3",
    node: process.version,
    concurrency,
    pickup: { jobs: pickupJobs, p50: round(percentile(pickup, 50)), p99: round(percentile(pickup, 99)) },
    drain: { jobs: drainJobs, inFlight, batchConcurrency, single, batched, batchedConcurrent },
  })}`,
);
process.exit(0);
