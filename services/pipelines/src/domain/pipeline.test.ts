// The pipeline's pure rules: what a valid DAG is, which steps are ready, and the
// pipeline's status derived from its steps. No storage, no transport.
import { describe, expect, test } from "bun:test";
import { FailedPreconditionError, InvalidArgumentError } from "@platform/kit";
import {
  checkCancellable,
  deriveStatus,
  findCycle,
  MAX_STEPS,
  readySteps,
  validateNewPipeline,
  type NewStep,
  type Pipeline,
  type Step,
  type StepStatus,
} from "./pipeline";

const step = (name: string, dependsOn: string[] = [], kind = "echo"): NewStep => ({
  name,
  kind,
  payload: null,
  dependsOn,
});
const violationsOf = (steps: NewStep[]) => {
  try {
    validateNewPipeline({ name: "p", steps, owner: "ann@example.com", idempotencyKey: null });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((v) => `${v.field}: ${v.message}`);
  }
};

describe("validateNewPipeline", () => {
  test("a DAG passes", () => {
    expect(violationsOf([step("a"), step("b", ["a"]), step("c", ["a", "b"])])).toEqual([]);
  });

  test("a cycle is refused, naming its steps in order", () => {
    expect(violationsOf([step("a", ["c"]), step("b", ["a"]), step("c", ["b"])])).toEqual([
      "steps: the dependencies form a cycle: a -> c -> b -> a",
    ]);
  });

  test("unknown, self and repeated dependencies are each named", () => {
    expect(violationsOf([step("a", ["nope"]), step("b", ["b"]), step("c", ["a", "a"])])).toEqual([
      "steps.0.depends_on: nope is not a step of this pipeline",
      "steps.1.depends_on: a step cannot depend on itself",
      "steps.2.depends_on: a is listed twice",
    ]);
  });

  test("duplicate names, bad names and bad kinds", () => {
    const found = violationsOf([step("a"), step("a"), step("-x"), step("k", [], "Upper")]);
    expect(found).toContain("steps.1.name: a is used by another step");
    expect(found.some((v) => v.startsWith("steps.2.name:"))).toBe(true);
    expect(found.some((v) => v.startsWith("steps.3.kind:"))).toBe(true);
  });

  test(`at most ${MAX_STEPS} steps`, () => {
    const many = Array.from({ length: MAX_STEPS + 1 }, (_, i) => step(`s${i}`));
    expect(violationsOf(many)).toContain(`steps: must be at most ${MAX_STEPS}`);
    expect(violationsOf(many.slice(0, MAX_STEPS))).toEqual([]);
  });
});

test("findCycle: undefined for a DAG, the cycle otherwise", () => {
  expect(findCycle([step("a"), step("b", ["a"])])).toBeUndefined();
  expect(findCycle([step("a", ["b"]), step("b", ["a"])])).toEqual(["a", "b", "a"]);
});

const pipeline = (status: Pipeline["status"], steps: [string, StepStatus, string[]?, number?][]): Pipeline => ({
  id: 1,
  name: "p",
  status,
  steps: steps.map(
    ([name, s, dependsOn = [], jobId]): Step => ({
      name,
      kind: "echo",
      payload: null,
      dependsOn,
      status: s,
      jobId: jobId ?? null,
      error: null,
    }),
  ),
  createdAt: new Date(0),
  updatedAt: new Date(0),
  requestId: "r",
  version: 1,
  owner: "ann@example.com",
  idempotencyKey: null,
  requestHash: null,
  parameters: null,
  retries: 0,
  rerunOf: null,
  templated: true,
});

describe("readySteps", () => {
  test("waiting steps whose dependencies all succeeded and that have no job yet", () => {
    const p = pipeline("RUNNING", [
      ["a", "SUCCEEDED", [], 1],
      ["b", "WAITING", ["a"]],
      ["c", "WAITING", ["a", "b"]],
      ["d", "WAITING"],
      ["e", "WAITING", [], 9],
    ]);
    expect(readySteps(p).map((s) => s.name)).toEqual(["b", "d"]);
  });

  test("none once the pipeline is final", () => {
    expect(readySteps(pipeline("CANCELLED", [["a", "WAITING"]]))).toEqual([]);
  });
});

describe("deriveStatus", () => {
  test.each([
    [
      [
        ["a", "WAITING"],
        ["b", "PENDING"],
      ],
      "PENDING",
    ],
    [
      [
        ["a", "RUNNING"],
        ["b", "WAITING"],
      ],
      "RUNNING",
    ],
    [
      [
        ["a", "SUCCEEDED"],
        ["b", "WAITING"],
      ],
      "RUNNING",
    ],
    [
      [
        ["a", "SUCCEEDED"],
        ["b", "SUCCEEDED"],
      ],
      "SUCCEEDED",
    ],
    [
      [
        ["a", "FAILED"],
        ["b", "RUNNING"],
      ],
      "FAILED",
    ],
    [
      [
        ["a", "CANCELLED"],
        ["b", "SUCCEEDED"],
      ],
      "FAILED",
    ],
  ] as [[string, StepStatus][], string][])("%p → %s", (steps, expected) => {
    expect(deriveStatus(pipeline("PENDING", steps))).toBe(expected as Pipeline["status"]);
  });

  test("CANCELLED stays CANCELLED, and FAILED stays FAILED", () => {
    expect(deriveStatus(pipeline("CANCELLED", [["a", "SUCCEEDED"]]))).toBe("CANCELLED");
    expect(deriveStatus(pipeline("FAILED", [["a", "SUCCEEDED"]]))).toBe("FAILED");
  });
});

test("checkCancellable: only a pipeline that is not final", () => {
  expect(() => checkCancellable(pipeline("RUNNING", [["a", "RUNNING"]]))).not.toThrow();
  for (const status of ["SUCCEEDED", "FAILED", "CANCELLED"] as const)
    expect(() => checkCancellable(pipeline(status, []))).toThrow(FailedPreconditionError);
});
