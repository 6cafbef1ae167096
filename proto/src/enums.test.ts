// The contracts' enums and rules as plain values: derived from the generated
// code, convertible both ways, and light enough for the browser console.
import { expect, test } from "bun:test";
import { join } from "node:path";
import {
  JOB_STATUSES,
  JobStatuses,
  LOWERCASE_ROLES,
  PIPELINE_STATUSES,
  roleFromWire,
  roleToWire,
  ROLES,
  STEP_STATUSES,
  StepStatuses,
} from "./enums";
import { jobs, pipelines } from "./index";

test("the status lists are the contracts' enum values without prefix or UNSPECIFIED, in order", () => {
  expect(JOB_STATUSES).toEqual(["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]);
  expect(PIPELINE_STATUSES).toEqual(["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]);
  expect(STEP_STATUSES).toEqual(["WAITING", "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED"]);
  expect(ROLES).toEqual(["ADMIN", "USER", "WORKER"]);
  expect(LOWERCASE_ROLES).toEqual(["admin", "user", "worker"]);
  // The same values the loaded .proto files know.
  const loaded = (type: unknown) => (type as { type: { value: { name: string }[] } }).type.value.map((v) => v.name);
  expect(loaded(jobs.JobStatus)).toEqual(["JOB_STATUS_UNSPECIFIED", ...JOB_STATUSES.map(JobStatuses.toWire)]);
  expect(loaded(pipelines.StepStatus)).toEqual(["STEP_STATUS_UNSPECIFIED", ...STEP_STATUSES.map(StepStatuses.toWire)]);
});

test("conversions: name ↔ wire value; UNSPECIFIED and unknown values are undefined", () => {
  for (const status of JOB_STATUSES) expect(JobStatuses.fromWire(JobStatuses.toWire(status))).toBe(status);
  expect(JobStatuses.toWire("RUNNING")).toBe("JOB_STATUS_RUNNING");
  expect(JobStatuses.fromWire("JOB_STATUS_UNSPECIFIED")).toBeUndefined();
  expect(JobStatuses.fromWire("STEP_STATUS_RUNNING")).toBeUndefined();
  expect(JobStatuses.fromWire(7)).toBeUndefined();
  expect(JobStatuses.unspecified).toBe("JOB_STATUS_UNSPECIFIED");
  expect(roleToWire("admin")).toBe("ROLE_ADMIN");
  expect(roleFromWire("ROLE_WORKER")).toBe("worker");
  expect(roleFromWire("ROLE_UNSPECIFIED")).toBeUndefined();
});

test("enums and rules bundle for the browser without the gRPC runtime", async () => {
  for (const entry of ["enums.ts", "rules.ts"]) {
    const result = await Bun.build({ entrypoints: [join(import.meta.dir, entry)], target: "browser", minify: true });
    expect(result.success).toBe(true);
    const code = await result.outputs[0]!.text();
    expect(code).not.toMatch(/protobuf|grpc/i);
    expect(code.length).toBeLessThan(4_000);
  }
});
