// The response checker every gateway suite runs (tests/support/openapiConformance.ts)
// bites: an undeclared status, another media type or a body off its schema is reported;
// a conforming answer, an undocumented path and a 405 are not.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createStubbedGateway, type StubbedGateway } from "../../gateway/src/testing";
import { type ResponseChecker, responseChecker } from "../support/openapiConformance";

let gw: StubbedGateway;
let checker: ResponseChecker;
beforeAll(async () => {
  gw = createStubbedGateway();
  checker = responseChecker(await (await gw.req("GET", "/openapi.json")).json());
});
afterAll(() => gw.close());

const json = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });

test("real answers of the app conform", async () => {
  const token = await gw.token(["admin"]);
  for (const [method, path] of [
    ["GET", "/users/"],
    ["GET", "/jobs/"],
    ["GET", "/users/abc"],
    ["GET", "/healthz"],
    ["POST", "/login"],
  ] as const) {
    const response = await gw.req(
      method,
      path,
      method === "POST" ? { body: { username: "x", password: "y" } } : { token },
    );
    expect({ path, problems: await checker.check(method, path, response) }).toEqual({ path, problems: [] });
  }
});

test("an undeclared status, another media type and a body off its schema are reported", async () => {
  expect(await checker.check("GET", "/users/7", json({}, 418))).toEqual([
    expect.stringContaining("GET /users/{id} → 418: status not declared"),
  ]);
  expect(await checker.check("GET", "/users/7", json({ type: "x" }, 404, "application/json"))).toEqual([
    expect.stringContaining("content-type application/json is not one of application/problem+json"),
  ]);
  expect(await checker.check("GET", "/users/7", json({ id: "7", name: "A" }))).toEqual([
    expect.stringContaining("body does not match the schema"),
  ]);
  expect(await checker.check("GET", "/jobs/stats", json({ by_status: {}, by_kind: [] }))).toEqual([
    expect.stringContaining("GET /jobs/stats → 200: body does not match"),
  ]);
});

test("paths and methods the document does not have are not its business", async () => {
  expect(await checker.check("GET", "/ui/jobs", new Response("<html>", { status: 200 }))).toEqual([]);
  expect(await checker.check("DELETE", "/users/7", json({}, 405, "application/problem+json"))).toEqual([]);
});
