// A user-defined job kind, run from its own process: "word-count" counts the
// words and lines of a text and names the most frequent words. Copy this file
// to start your own worker (worker/README.md walks through it):
//
//   JOBS_SERVICE_URL=localhost:50052 bun worker/examples/wordCount.ts
//
// It claims only "word-count" jobs, runs up to WORKER_CONCURRENCY of them at
// once, and on SIGTERM or Ctrl-C finishes what it runs (or releases it after
// 10 s) before it exits.
import { createWorker } from "@platform/worker";
import { z } from "zod";

const worker = createWorker({
  jobsServiceUrl: process.env.JOBS_SERVICE_URL ?? "localhost:50052",
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
});

/** The payload: checked before the handler runs; a job that does not match fails with "invalid payload: …". */
const WordCount = z.object({
  text: z.string().max(100_000),
  top: z.number().int().min(1).max(100).default(3),
});

worker.handle("word-count", WordCount, async ({ text, top }, ctx) => {
  if (text.trim() === "") throw new Error("nothing to count: the text is blank"); // fails this attempt; retried
  const counts = new Map<string, number>();
  const lines = text.split("\n");
  for (const line of lines) {
    ctx.signal.throwIfAborted(); // long work checks the signal: cancelled, lease lost or worker stopping
    for (const word of line.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [])
      counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  ctx.logger.info({ words: counts.size }, "counted");
  const frequent = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, top);
  // The return value is the job's result (JSON).
  return {
    words: [...counts.values()].reduce((sum, n) => sum + n, 0),
    lines: lines.length,
    top: frequent.map(([word, count]) => ({ word, count })),
  };
});

worker.start();

for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, async () => {
    await worker.stop(10_000);
    process.exit(0);
  });
