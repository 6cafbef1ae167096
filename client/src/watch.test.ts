// Watches over the real gateway app (stub upstreams whose WatchJob/WatchPipeline
// streams the tests script, through app.handle): every state once, in order, a
// new stream whenever one ends early, a refusal thrown at once, and a bounded
// number of reconnections when a stream keeps failing.
import { beforeAll, describe, expect, test } from "bun:test";
import { createStubbedGateway, type StubbedGateway } from "@platform/gateway/testing";
import { type Api, createApi } from "./api";
import type { Job } from "./models";
import { ApiError } from "./problem";
import { WatchInterrupted, watchJob, watchPipeline } from "./watch";

const wireJob = (status: string, attempts = 0) => ({
  id: "4",
  job_name: "train",
  status: `JOB_STATUS_${status}`,
  kind: "echo",
  payload: "",
  result: "",
  error: "",
  worker_id: "",
  attempts,
  max_attempts: 3,
  owner: "admin",
});
const wirePipeline = (status: string, steps: [string, string][]) => ({
  id: "2",
  pipeline_name: "etl",
  status: `PIPELINE_STATUS_${status}`,
  owner: "admin",
  parameters: "",
  retries: 0,
  rerun_of: "0",
  steps: steps.map(([name, step]) => ({
    name,
    kind: "echo",
    payload: "",
    depends_on: [],
    status: `STEP_STATUS_${step}`,
    job_id: "0",
    error: "",
  })),
});
const notFound = () => {
  throw Object.assign(new Error("job 4 not found"), { code: 5, details: "job 4 not found" });
};

let gateway: StubbedGateway;
let api: Api;
beforeAll(async () => {
  gateway = createStubbedGateway();
  const fetcher = ((input, init) => gateway.app.handle(new Request(input as string, init))) as typeof fetch;
  api = createApi({ baseUrl: "http://gateway.test", fetcher, token: await gateway.login() });
});

/** WatchJob answers with these scripted streams, one per call. */
function scriptJobs(
  ...streams: { messages: ReturnType<typeof wireJob>[]; error?: { code: number; details: string } }[]
) {
  let call = 0;
  gateway.upstreams.jobs.calls.length = 0;
  gateway.upstreams.jobs.handlers = {
    GetJob: () => wireJob("PENDING"),
    WatchJob: () => streams[Math.min(call++, streams.length - 1)]!,
  } as unknown as typeof gateway.upstreams.jobs.handlers;
}

async function collect<T>(watch: AsyncGenerator<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const value of watch) seen.push(value);
  return seen;
}
const statuses = (jobs: Job[]) => jobs.map((j) => `${j.status}/${j.attempts}`);
const FAST = { reconnectDelayMs: 0 };

describe("watchJob", () => {
  test("yields each state once until the job is final, across a stream that ended early", async () => {
    scriptJobs(
      { messages: [wireJob("PENDING"), wireJob("RUNNING", 1)] },
      { messages: [wireJob("RUNNING", 1), wireJob("SUCCEEDED", 1), wireJob("SUCCEEDED", 1)] },
    );
    expect(statuses(await collect(watchJob(api, 4, FAST)))).toEqual(["PENDING/0", "RUNNING/1", "SUCCEEDED/1"]);
    expect(gateway.upstreams.jobs.callsOf("WatchJob")).toHaveLength(2);
  });

  test("streams the server ends cleanly (their maximum life) never count as failures, news or not", async () => {
    scriptJobs(
      { messages: [wireJob("PENDING")] },
      { messages: [wireJob("PENDING")] },
      { messages: [wireJob("PENDING")] },
      { messages: [wireJob("SUCCEEDED", 1)] },
    );
    const seen = await collect(watchJob(api, 4, { ...FAST, maxReconnects: 0 }));
    expect(statuses(seen)).toEqual(["PENDING/0", "SUCCEEDED/1"]);
    expect(gateway.upstreams.jobs.callsOf("WatchJob")).toHaveLength(4);
  });

  test("a stream that breaks (the server's `error` event) is opened again", async () => {
    scriptJobs(
      { messages: [wireJob("RUNNING", 1)], error: { code: 14, details: "jobs went away" } },
      { messages: [wireJob("FAILED", 3)] },
    );
    expect(statuses(await collect(watchJob(api, 4, FAST)))).toEqual(["RUNNING/1", "FAILED/3"]);
  });

  test("an unknown id is the 404 at once: no stream, no retries", async () => {
    scriptJobs({ messages: [] });
    gateway.upstreams.jobs.handlers.GetJob = notFound;
    const error = await collect(watchJob(api, 4, FAST)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect(gateway.upstreams.jobs.callsOf("GetJob")).toHaveLength(1);
    expect(gateway.upstreams.jobs.callsOf("WatchJob")).toHaveLength(0);
  });

  test("streams that keep failing without news: given up after maxReconnects", async () => {
    scriptJobs({ messages: [wireJob("RUNNING", 1)], error: { code: 14, details: "down" } });
    const seen: Job[] = [];
    const error = await (async () => {
      for await (const job of watchJob(api, 4, { ...FAST, maxReconnects: 2 })) seen.push(job);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WatchInterrupted);
    expect(statuses(seen)).toEqual(["RUNNING/1"]);
    expect(gateway.upstreams.jobs.callsOf("WatchJob")).toHaveLength(3);
  });

  test("an aborted signal ends the watch quietly", async () => {
    scriptJobs({ messages: [wireJob("RUNNING", 1)], error: { code: 14, details: "down" } });
    const controller = new AbortController();
    const seen: Job[] = [];
    for await (const job of watchJob(api, 4, { reconnectDelayMs: 10, signal: controller.signal })) {
      seen.push(job);
      controller.abort();
    }
    expect(statuses(seen)).toEqual(["RUNNING/1"]);
  });
});

describe("watchPipeline", () => {
  test("ends once the pipeline and every step are final", async () => {
    gateway.upstreams.pipelines.handlers = {
      GetPipeline: () => wirePipeline("RUNNING", [["a", "RUNNING"]]),
      WatchPipeline: () => ({
        messages: [
          wirePipeline("RUNNING", [
            ["a", "SUCCEEDED"],
            ["b", "RUNNING"],
          ]),
          wirePipeline("FAILED", [
            ["a", "SUCCEEDED"],
            ["b", "RUNNING"],
          ]),
          wirePipeline("FAILED", [
            ["a", "SUCCEEDED"],
            ["b", "FAILED"],
          ]),
        ],
        open: true,
      }),
    } as unknown as typeof gateway.upstreams.pipelines.handlers;
    const seen = await collect(watchPipeline(api, 2, FAST));
    expect(seen.map((p) => `${p.status}:${p.steps.map((s) => s.status).join(",")}`)).toEqual([
      "RUNNING:RUNNING",
      "RUNNING:SUCCEEDED,RUNNING",
      "FAILED:SUCCEEDED,RUNNING",
      "FAILED:SUCCEEDED,FAILED",
    ]);
  });
});
