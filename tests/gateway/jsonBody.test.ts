// Bodies with prototype keys, duplicate keys or absurd nesting are refused with a
// 422 naming the field, before any route or upstream sees them; field violations
// of any text or number come back from a service as a precise 422; no response
// header ever carries user text.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

let gw: GatewayFixture;
let token: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  token = await gw.login();
});
afterAll(() => gw.close());

async function validation(response: Response) {
  expect(response.status).toBe(422);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as {
    type: string;
    errors: { field: string; message: string }[];
    errors_omitted?: number;
  };
  expect(body.type).toBe("urn:problem-type:validation-error");
  return body;
}

describe("keys JSON.parse would let through", () => {
  test.each([
    ["__proto__ at the top", '{"job_name":"j","__proto__":{"admin":true}}', "__proto__"],
    [
      "constructor inside a payload",
      '{"job_name":"j","payload":{"a":[{"constructor":{"prototype":1}}]}}',
      "payload.a.0.constructor",
    ],
    ["prototype spelled with escapes", '{"job_name":"j","payload":{"\\u0070rototype":1}}', "payload.prototype"],
  ])("%s is 422 naming the field", async (_, body, field) => {
    const problem = await validation(await gw.req("POST", "/jobs/", { token, body }));
    expect(problem.errors[0]?.field).toBe(field);
    expect(problem.errors[0]?.message).toContain("is not allowed");
  });

  test("a duplicate key is 422 naming it, at the top and deep in a pipeline", async () => {
    const top = await validation(
      await gw.req("POST", "/jobs/", { token, body: '{"job_name":"first","job_name":"second"}' }),
    );
    expect(top.errors).toEqual([{ field: "job_name", message: 'duplicate key "job_name"' }]);
    const deep = await validation(
      await gw.req("POST", "/pipelines/", {
        token,
        body: '{"pipeline_name":"p","steps":[{"name":"a","kind":"echo"},{"name":"b","kind":"echo","kind":"sleep"}]}',
      }),
    );
    expect(deep.errors).toEqual([{ field: "steps.1.kind", message: 'duplicate key "kind"' }]);
    // Nothing was created.
    const jobs = (await (await gw.req("GET", "/jobs/", { token })).json()) as { items: unknown[] };
    expect(jobs.items).toEqual([]);
  });

  test("the same names as values, or in sibling objects, are fine", async () => {
    const response = await gw.req("POST", "/jobs/", {
      token,
      body: { job_name: "constructor", payload: { a: { name: 1 }, b: { name: 2 } } },
    });
    expect(response.status).toBe(201);
  });

  test("nesting deeper than the limit is 422", async () => {
    const problem = await validation(
      await gw.req("POST", "/jobs/", {
        token,
        body: `{"job_name":"j","payload":${"[".repeat(200)}${"]".repeat(200)}}`,
      }),
    );
    expect(problem.errors[0]?.field).toBe("body");
  });
});

describe("field violations from a service", () => {
  test("a non-ASCII unknown dependency is a 422 naming it, and the pipelines service keeps serving", async () => {
    const problem = await validation(
      await gw.req("POST", "/pipelines/", {
        token,
        body: { pipeline_name: "p", steps: [{ name: "a", kind: "echo", depends_on: ["é"] }] },
      }),
    );
    expect(problem.errors).toEqual([expect.objectContaining({ field: "steps.0.depends_on" })]);
    expect(problem.errors[0]!.message).toContain("é");
    expect((await gw.req("GET", "/pipelines/", { token })).status).toBe(200);
  });

  test("600 unknown dependencies (12 steps of 50): a 422 with the first errors and the count of the rest", async () => {
    const steps = Array.from({ length: 12 }, (_, s) => ({
      name: `s${s}`,
      kind: "echo",
      depends_on: Array.from({ length: 50 }, (_, d) => `missing-é-${s}-${d}`),
    }));
    const problem = await validation(
      await gw.req("POST", "/pipelines/", { token, body: { pipeline_name: "p", steps } }),
    );
    expect(problem.errors.length).toBeGreaterThan(10);
    expect(problem.errors_omitted).toBeGreaterThan(0);
    expect(problem.errors[0]).toEqual({
      field: "steps.0.depends_on",
      message: "missing-é-0-0 is not a step of this pipeline",
    });
    expect(problem.errors.length + (problem.errors_omitted ?? 0)).toBe(600);
    expect((await gw.req("GET", "/pipelines/", { token })).status).toBe(200);
  });
});

describe("response headers", () => {
  test("never carry the request's text", async () => {
    const responses = [
      await gw.req("POST", "/jobs/", { token, body: "x", headers: { "content-type": "text/plain; charset=é" } }),
      await gw.req("POST", "/jobs/", { token, body: '{"job_name":"é🚀","job_name":1}' }),
      await gw.req("GET", "/jobs/%C3%A9", { token, headers: { "x-request-id": "é" } }),
    ];
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      for (const [name, value] of response.headers) {
        expect(`${name}: ${value}`).toMatch(/^[\x20-\x7e]*$/);
        expect(value).not.toContain("é");
      }
    }
  });
});
