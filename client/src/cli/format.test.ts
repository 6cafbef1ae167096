// What people read: tables, details, progress lines and error reports, exactly.
import { describe, expect, test } from "bun:test";
import type { Job, Pipeline } from "../models";
import { ApiError, NetworkError } from "../problem";
import { cell, describeError, details, JOB_COLUMNS, nextPageHint, table, time } from "./format";
import { jobProgress, pipelineProgress } from "./progress";

const job = (over: Partial<Job> = {}): Job => ({
  id: 7,
  job_name: "resize",
  status: "PENDING",
  created_at: "2026-12-02T15:34:29.123Z",
  updated_at: "2026-12-02T15:34:30.5Z",
  kind: "echo",
  payload: { w: 100 },
  result: null,
  error: null,
  attempts: 0,
  max_attempts: 3,
  started_at: null,
  finished_at: null,
  worker_id: null,
  lease_expires_at: null,
  run_after: null,
  owner: "admin",
  priority: 0,
  queue: "default",
  expires_at: null,
  timeout_seconds: null,
  run_deadline: null,
  backoff: null,
  ...over,
});

const step = (name: string, status: string, job_id: number | null = null, error: string | null = null) => ({
  name,
  kind: "echo",
  payload: null,
  depends_on: [],
  status,
  job_id,
  error,
});
const pipeline = (status: string, steps: ReturnType<typeof step>[]) =>
  ({
    id: 3,
    pipeline_name: "etl",
    status,
    created_at: null,
    updated_at: null,
    steps,
    owner: "admin",
    parameters: {},
    retries: 0,
    rerun_of: null,
  }) as Pipeline;

describe("cells and tables", () => {
  test("nothing is '-', structures are JSON, control characters never break a line, long text is cut", () => {
    expect([cell(null), cell(""), cell(0), cell(false), cell({ a: [1] })]).toEqual([
      "-",
      "-",
      "0",
      "false",
      '{"a":[1]}',
    ]);
    expect(cell("two\nlines\tand\u001b[31mred")).toBe("two lines and [31mred");
    expect(cell("x".repeat(60), 10)).toBe(`${"x".repeat(9)}…`);
  });

  test("times lose their fractions", () => {
    expect(time("2026-12-02T15:34:29.123Z")).toBe("2026-12-02T15:34:29Z");
    expect(time(null)).toBe("-");
  });

  test("columns are aligned, numbers to the right", () => {
    const rows = [job(), job({ id: 12, job_name: "a much longer name", status: "SUCCEEDED", attempts: 1 })];
    expect(table(rows, JOB_COLUMNS).split("\n")).toEqual([
      "ID  NAME                KIND  STATUS     ATTEMPTS  QUEUE    UPDATED",
      " 7  resize              echo  PENDING         0/3  default  2026-12-02T15:34:30Z",
      "12  a much longer name  echo  SUCCEEDED       1/3  default  2026-12-02T15:34:30Z",
    ]);
    expect(table([], JOB_COLUMNS)).toBe("(none)");
  });

  test("details line up their values", () => {
    expect(
      details([
        ["id", 1],
        ["status", "RUNNING"],
      ]),
    ).toBe("id:     1\nstatus: RUNNING");
  });

  test("the next page hint", () => {
    expect(nextPageHint("djE6MjA")).toBe("next page: --page-token djE6MjA");
    expect(nextPageHint("")).toBe("");
  });
});

describe("progress", () => {
  test("a job: one line per status or attempt change, with the result or the error at the end", () => {
    const states = [
      job(),
      job({ status: "RUNNING", attempts: 1, worker_id: "w-1" }),
      job({ status: "RUNNING", attempts: 1, worker_id: "w-1", lease_expires_at: "2026-12-02T15:35:00Z" }),
      job({ status: "PENDING", attempts: 1 }),
      job({ status: "RUNNING", attempts: 2, worker_id: "w-2" }),
      job({ status: "FAILED", attempts: 2, error: "disk on fire" }),
    ];
    const lines = states.flatMap((state, i) => jobProgress(states[i - 1], state));
    expect(lines).toEqual([
      "job 7 PENDING",
      "job 7 RUNNING (attempt 1/3, worker w-1)",
      "job 7 PENDING (retry after attempt 1/3)",
      "job 7 RUNNING (attempt 2/3, worker w-2)",
      "job 7 FAILED: disk on fire",
    ]);
    expect(jobProgress(undefined, job({ status: "SUCCEEDED", result: { ok: true } }))).toEqual([
      'job 7 SUCCEEDED: result {"ok":true}',
    ]);
  });

  test("a pipeline: the plan first, then each step that changed, and the pipeline's status when it changes", () => {
    const states = [
      pipeline("PENDING", [step("a", "PENDING", 1), step("b", "WAITING")]),
      pipeline("RUNNING", [step("a", "RUNNING", 1), step("b", "WAITING")]),
      pipeline("RUNNING", [step("a", "SUCCEEDED", 1), step("b", "PENDING", 2)]),
      pipeline("FAILED", [step("a", "SUCCEEDED", 1), step("b", "FAILED", 2, "boom")]),
    ];
    expect(states.flatMap((state, i) => pipelineProgress(states[i - 1], state))).toEqual([
      'pipeline 3 "etl" PENDING: 0/2 steps done',
      "  step a: PENDING (job 1)",
      "  step b: WAITING",
      "  step a: RUNNING (job 1)",
      "pipeline 3 RUNNING: 0/2 steps done",
      "  step a: SUCCEEDED (job 1)",
      "  step b: PENDING (job 2)",
      "  step b: FAILED (job 2): boom",
      "pipeline 3 FAILED: 1/2 steps done",
    ]);
  });
});

describe("describeError", () => {
  test("a problem: status, title, detail, each field error, the request id", () => {
    const error = new ApiError(422, {
      type: "urn:problem-type:validation-error",
      title: "Unprocessable Content",
      status: 422,
      detail: "the request body has invalid fields",
      errors: [{ field: "steps.0.kind", message: "must be a lowercase name" }],
      request_id: "r-1",
    });
    expect(describeError(error).split("\n")).toEqual([
      "error: 422 Unprocessable Content: the request body has invalid fields",
      "  steps.0.kind: must be a lowercase name",
      "  (request id r-1)",
    ]);
  });

  test("no answer", () => {
    expect(describeError(new NetworkError(new Error("Unable to connect")))).toBe(
      "error: no answer from the gateway: Unable to connect",
    );
  });
});
