// The API's field rules have one owner (the services) and one definition
// (@platform/proto/rules): the gateway's schemas quote the same numbers, so the
// OpenAPI document shows them, and a body the gateway refuses early gets the
// message the service would have given, on the same field. Stub upstreams: a
// refused body never reaches them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  KIND_MESSAGE,
  KIND_PATTERN,
  lengthMessage,
  MAX_ATTEMPTS_MAX,
  MAX_ATTEMPTS_MESSAGE,
  MAX_STEPS,
  NAME_MAX_LENGTH,
  STEP_NAME_PATTERN,
} from "@platform/proto/rules";
import { createStubbedGateway, type StubbedGateway } from "../testing";

let gw: StubbedGateway;
let token: string;
let doc: Record<string, any>;
beforeAll(async () => {
  gw = createStubbedGateway();
  token = await gw.token(["user"]);
  doc = (await (await gw.req("GET", "/openapi.json")).json()) as Record<string, any>;
});
afterAll(() => gw.close());

const errorsOf = async (path: string, body: unknown) => {
  const response = await gw.req("POST", path, { token, body });
  expect(response.status).toBe(422);
  return ((await response.json()) as { errors: { field: string; message: string }[] }).errors;
};
const bodySchema = (path: string) => doc.paths[path].post.requestBody.content["application/json"].schema;

describe("early refusals read like the service's", () => {
  test("jobs: kind, max_attempts and job_name", async () => {
    expect(await errorsOf("/jobs/", { job_name: "j", kind: "Not A Kind" })).toEqual([
      { field: "kind", message: KIND_MESSAGE },
    ]);
    expect(await errorsOf("/jobs/", { job_name: "j", max_attempts: MAX_ATTEMPTS_MAX + 1 })).toEqual([
      { field: "max_attempts", message: MAX_ATTEMPTS_MESSAGE },
    ]);
    expect(await errorsOf("/jobs/", { job_name: "x".repeat(NAME_MAX_LENGTH + 1) })).toEqual([
      { field: "job_name", message: lengthMessage.atMost(NAME_MAX_LENGTH) },
    ]);
    expect(await errorsOf("/jobs/", { job_name: "" })).toEqual([{ field: "job_name", message: lengthMessage.empty }]);
  });

  test("pipelines: step kind, too many steps", async () => {
    expect(await errorsOf("/pipelines/", { pipeline_name: "p", steps: [{ name: "a", kind: "BAD" }] })).toEqual([
      { field: "steps.0.kind", message: KIND_MESSAGE },
    ]);
    const steps = Array.from({ length: MAX_STEPS + 1 }, (_, i) => ({ name: `s${i}`, kind: "echo" }));
    expect(await errorsOf("/pipelines/", { pipeline_name: "p", steps })).toEqual([
      { field: "steps", message: lengthMessage.items(MAX_STEPS) },
    ]);
  });
});

test("the OpenAPI document shows the rules' numbers and patterns", () => {
  const job = bodySchema("/jobs/").properties;
  expect(job.kind.pattern).toBe(KIND_PATTERN);
  expect(job.max_attempts.maximum).toBe(MAX_ATTEMPTS_MAX);
  expect(job.job_name.maxLength).toBe(NAME_MAX_LENGTH);
  const pipeline = bodySchema("/pipelines/").properties;
  expect(pipeline.steps.maxItems).toBe(MAX_STEPS);
  expect(pipeline.steps.items.properties.name.pattern).toBe(STEP_NAME_PATTERN);
});
