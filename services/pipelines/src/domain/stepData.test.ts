// A pipeline's data rules: parameters (a JSON object, capped), templates
// checked at create (each reference parses, params exist, a referenced step is
// a dependency), a step's payload rendered from results, and the retry and
// re-run transitions. Pure: no storage, no transport.
import { describe, expect, test } from "bun:test";
import { FailedPreconditionError, InvalidArgumentError } from "@platform/kit";
import {
  rerunRequest,
  requestFingerprint,
  retryPipeline,
  validateNewPipeline,
  type NewStep,
  type Pipeline,
} from "./pipeline";
import { ancestorsOf, MAX_JSON_BYTES, mergeParameters, referencedSteps, renderStepPayload } from "./stepData";

const step = (name: string, dependsOn: string[] = [], payload: unknown = undefined): NewStep => ({
  name,
  kind: "echo",
  payload: payload === undefined ? null : JSON.stringify(payload),
  dependsOn,
});
const violationsOf = (steps: NewStep[], parameters: string | null = null) => {
  try {
    validateNewPipeline({ name: "p", steps, owner: "ann", idempotencyKey: null, parameters });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((v) => `${v.field}: ${v.message}`);
  }
};

describe("parameters", () => {
  test("a JSON object of at most 64 KiB, or none", () => {
    expect(violationsOf([], null)).toEqual([]);
    expect(violationsOf([], '{"a":1}')).toEqual([]);
    for (const bad of ["[1]", "1", '"x"', "null", "{", ""])
      expect(violationsOf([], bad)).toEqual(["parameters: must be a JSON object"]);
    const big = JSON.stringify({ x: "y".repeat(MAX_JSON_BYTES) });
    expect(violationsOf([], big)).toEqual([`parameters: must be at most ${MAX_JSON_BYTES} bytes of JSON`]);
  });

  test("they count in the idempotency fingerprint only when given", () => {
    const base = { name: "p", steps: [step("a")], owner: "ann", idempotencyKey: "k" };
    expect(requestFingerprint({ ...base })).toBe(requestFingerprint({ ...base, parameters: null }));
    expect(requestFingerprint({ ...base, parameters: '{"a":1}' })).not.toBe(requestFingerprint(base));
  });

  test("a re-run's override replaces top-level keys", () => {
    expect(mergeParameters('{"a":1,"b":{"c":2}}', '{"b":3,"d":4}')).toBe('{"a":1,"b":3,"d":4}');
    expect(mergeParameters(null, '{"a":1}')).toBe('{"a":1}');
    expect(mergeParameters('{"a":1}', null)).toBe('{"a":1}');
    expect(JSON.parse(mergeParameters("{}", '{"__proto__":{"x":1}}')!)).toEqual(JSON.parse('{"__proto__":{"x":1}}'));
  });
});

describe("templates at create", () => {
  test("references to parameters and to (transitive) dependencies pass", () => {
    const steps = [
      step("a"),
      step("b", ["a"], { x: "{{ steps.a.result.n }}" }),
      step("c", ["b"], { y: "{{ steps.a.result }} {{ params.region }}" }),
    ];
    expect(violationsOf(steps, '{"region":"eu"}')).toEqual([]);
    expect(ancestorsOf(steps, "c")).toEqual(new Set(["a", "b"]));
    expect(referencedSteps(steps[2]!, steps)).toEqual(["a"]);
  });

  test("a step that is not a dependency, its own result, or a missing parameter is named", () => {
    expect(
      violationsOf(
        [
          step("a"),
          step("b", [], { x: "{{ steps.a.result }}" }),
          step("c", ["a"], { x: "{{ steps.c.result }}", y: "{{ params.nope }}" }),
        ],
        '{"region":"eu"}',
      ),
    ).toEqual([
      "steps.1.payload: {{ steps.a.result }}: step b does not depend on a (add it to depends_on)",
      "steps.2.payload: {{ steps.c.result }}: a step cannot use its own result",
      "steps.2.payload: {{ params.nope }}: the parameters have no such value",
    ]);
  });

  test("a malformed template is a violation of that step's payload", () => {
    expect(violationsOf([step("a", [], { x: "{{ params.x" })])).toEqual([
      'steps.0.payload: "{{" at character 0 has no closing "}}"',
    ]);
    expect(violationsOf([step("a", [], ["{{ steps.zz.result }}"])])).toEqual([
      "steps.0.payload: {{ steps.zz.result }}: there is no step zz",
    ]);
  });
});

describe("renderStepPayload", () => {
  const steps = [step("a"), step("b", ["a"], { n: "{{ steps.a.result.n }}", p: "{{ params.p }}" })];
  test("from the parameters and the dependencies' results", () => {
    expect(renderStepPayload(steps[1]!, steps, '{"p":"x"}', () => '{"n":2}')).toBe('{"n":2,"p":"x"}');
    expect(renderStepPayload(steps[0]!, steps, null, () => undefined)).toBeNull();
  });
  test("a dependency without a result, or with one that is not JSON, is a TemplateError", () => {
    expect(() => renderStepPayload(steps[1]!, steps, '{"p":1}', () => "")).toThrow("step a has no result");
    expect(() => renderStepPayload(steps[1]!, steps, '{"p":1}', () => "{")).toThrow("step a's result is not JSON");
  });
});

const stored = (status: Pipeline["status"], steps: [string, Pipeline["steps"][number]["status"], number | null][]) =>
  ({
    id: 7,
    name: "p",
    status,
    steps: steps.map(([name, s, jobId]) => ({
      name,
      kind: "echo",
      payload: null,
      dependsOn: [],
      status: s,
      jobId,
      error: s === "FAILED" ? "it broke" : null,
    })),
    createdAt: new Date(0),
    updatedAt: new Date(0),
    requestId: "r",
    version: 3,
    owner: "ann",
    idempotencyKey: null,
    requestHash: null,
    parameters: '{"a":1}',
    retries: 0,
    rerunOf: null,
    templated: true,
  }) satisfies Pipeline;

describe("retryPipeline", () => {
  test("failed, cancelled and skipped steps start over; succeeded ones keep their jobs", () => {
    const retried = retryPipeline(
      stored("FAILED", [
        ["a", "SUCCEEDED", 1],
        ["b", "FAILED", 2],
        ["c", "CANCELLED", 3],
        ["d", "SKIPPED", null],
      ]),
      new Date(5),
    );
    expect(retried.status).toBe("RUNNING");
    expect(retried.retries).toBe(1);
    expect(retried.updatedAt).toEqual(new Date(5));
    expect(retried.steps.map((s) => [s.name, s.status, s.jobId, s.error])).toEqual([
      ["a", "SUCCEEDED", 1, null],
      ["b", "WAITING", null, null],
      ["c", "WAITING", null, null],
      ["d", "WAITING", null, null],
    ]);
  });

  test("only a settled FAILED or CANCELLED pipeline with steps", () => {
    for (const status of ["PENDING", "RUNNING", "SUCCEEDED"] as const)
      expect(() => retryPipeline(stored(status, [["a", "SUCCEEDED", 1]]), new Date())).toThrow(FailedPreconditionError);
    expect(() => retryPipeline(stored("CANCELLED", [["a", "RUNNING", 1]]), new Date())).toThrow("still stopping");
    expect(() => retryPipeline(stored("CANCELLED", []), new Date())).toThrow("no steps");
    expect(retryPipeline(stored("CANCELLED", [["a", "CANCELLED", 1]]), new Date()).status).toBe("RUNNING");
  });
});

describe("rerunRequest", () => {
  test("the same name, steps and parameters, overrides merged, for the new owner", () => {
    const request = rerunRequest(stored("SUCCEEDED", [["a", "SUCCEEDED", 1]]), '{"b":2}', "bob", "key-1");
    expect(request).toEqual({
      name: "p",
      steps: [{ name: "a", kind: "echo", payload: null, dependsOn: [] }],
      owner: "bob",
      idempotencyKey: "key-1",
      parameters: '{"a":1,"b":2}',
      rerunOf: 7,
    });
  });

  test("a bad override is a violation of parameters", () => {
    expect(() => rerunRequest(stored("FAILED", []), "[1]", "bob", null)).toThrow(InvalidArgumentError);
  });
});
