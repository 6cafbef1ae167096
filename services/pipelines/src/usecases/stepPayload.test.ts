// A step's payload when its job is created: passed on untouched without
// templates (no call), rendered from its dependencies' job results with them,
// a vanished dependency job or a missing value as the step's error, and a
// pipeline from before templates existed sent as it was written.
import { describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import type { Pipeline } from "../domain/pipeline";
import type { JobView } from "../clients/jobsClient";
import { stepPayload } from "./stepPayload";

const pipeline = (payload: string, templated = true): Pipeline => ({
  id: 1,
  name: "p",
  status: "RUNNING",
  steps: [
    { name: "a", kind: "echo", payload: null, dependsOn: [], status: "SUCCEEDED", jobId: 10, error: null },
    { name: "b", kind: "echo", payload, dependsOn: ["a"], status: "WAITING", jobId: null, error: null },
  ],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  requestId: "r",
  version: 1,
  owner: "ann",
  idempotencyKey: null,
  requestHash: null,
  parameters: '{"p":"x"}',
  retries: 0,
  rerunOf: null,
  templated,
});

const jobs = (result: string | Error) => {
  const calls: number[] = [];
  return {
    calls,
    async get(id: number): Promise<JobView> {
      calls.push(id);
      if (result instanceof Error) throw result;
      return { id, status: "SUCCEEDED", error: "", result };
    },
  };
};
const run = (p: Pipeline, api: ReturnType<typeof jobs>) => stepPayload(p, p.steps[1]!, api, { requestId: "r" });

describe("stepPayload", () => {
  test("without templates: as it is, and the jobs service is not asked", async () => {
    const api = jobs("{}");
    expect(await run(pipeline('{"a":1}'), api)).toEqual({ payload: '{"a":1}' });
    expect(api.calls).toEqual([]);
  });

  test("with templates: the dependency's result is read from its job", async () => {
    const api = jobs('{"n":[4,5]}');
    expect(await run(pipeline('{"n":"{{ steps.a.result.n[1] }}","p":"{{ params.p }}"}'), api)).toEqual({
      payload: '{"n":5,"p":"x"}',
    });
    expect(api.calls).toEqual([10]);
  });

  test("a missing value or a vanished job is the step's error", async () => {
    expect(await run(pipeline('{"n":"{{ steps.a.result.m }}"}'), jobs("{}"))).toEqual({
      error: "payload: {{ steps.a.result.m }}: step a's result has nothing at m",
    });
    const gone = Object.assign(new Error("not found"), { code: grpc.status.NOT_FOUND });
    expect(await run(pipeline('{"n":"{{ steps.a.result }}"}'), jobs(gone))).toEqual({
      error: "payload: step a's job 10 no longer exists; re-run the pipeline",
    });
    const down = Object.assign(new Error("unavailable"), { code: grpc.status.UNAVAILABLE });
    await expect(run(pipeline('{"n":"{{ steps.a.result }}"}'), jobs(down))).rejects.toThrow("unavailable");
  });

  test("a pipeline from before templates existed sends its payload as written", async () => {
    const api = jobs("{}");
    expect(await run(pipeline('{"t":"{{ not a template"}', false), api)).toEqual({
      payload: '{"t":"{{ not a template"}',
    });
    expect(api.calls).toEqual([]);
  });
});
