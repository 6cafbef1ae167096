// The README's example as users run it: worker/examples/wordCount.ts in its own
// process against a real jobs server, a job of its kind succeeding with the
// handler's result, a failing one retried until FAILED, and a graceful SIGTERM.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { startJobsFixture, type JobsFixture } from "@platform/jobs/testing";
import { eventually } from "@platform/kit/testing";
import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";

setDefaultTimeout(30_000);

let jobs: JobsFixture;
let worker: Subprocess;
beforeAll(async () => {
  jobs = await startJobsFixture("sqlite");
  worker = Bun.spawn([process.execPath, `${import.meta.dir}/wordCount.ts`], {
    env: { ...process.env, JOBS_SERVICE_URL: jobs.target },
    stdout: "ignore",
    stderr: "inherit",
  });
});
afterAll(async () => {
  if (worker.exitCode === null) worker.kill("SIGKILL");
  await jobs.stop();
});

const until = (id: string, status: string) =>
  eventually(async () => {
    const job = await jobs.get(id);
    return job.status === `JOB_STATUS_${status}` ? job : undefined;
  });

test("a word-count job run by the example's process succeeds with the handler's result", async () => {
  const job = await jobs.create({
    job_name: "count",
    kind: "word-count",
    payload: JSON.stringify({ text: "the cat and the hat\nthe end", top: 2 }),
  });
  expect(JSON.parse((await until(job.id, "SUCCEEDED")).result)).toEqual({
    words: 7,
    lines: 2,
    top: [
      { word: "the", count: 3 },
      { word: "and", count: 1 },
    ],
  });
});

test("a blank text fails each attempt with the handler's message until the job is FAILED", async () => {
  const job = await jobs.create({ job_name: "blank", kind: "word-count", payload: '{"text":"  "}', max_attempts: 2 });
  expect(await until(job.id, "FAILED")).toMatchObject({ attempts: 2, error: "nothing to count: the text is blank" });
  const invalid = await jobs.create({ job_name: "invalid", kind: "word-count", payload: '{"txt":1}', max_attempts: 1 });
  expect((await until(invalid.id, "FAILED")).error).toStartWith("invalid payload: text: ");
});

test("SIGTERM stops the process cleanly", async () => {
  worker.kill("SIGTERM");
  expect(await worker.exited).toBe(0);
});

test("worker/README.md shows this example as it is (after its header comment)", () => {
  const source = readFileSync(`${import.meta.dir}/wordCount.ts`, "utf8");
  const code = source.slice(source.indexOf("\nimport ") + 1);
  expect(readFileSync(`${import.meta.dir}/../README.md`, "utf8")).toContain(`\`\`\`ts\n${code}\`\`\`\n`);
});
