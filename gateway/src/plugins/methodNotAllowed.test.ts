// A known path asked with a method it does not have is 405 problem+json with
// Allow naming the methods it has (from the app's own route table); an unknown
// path stays 404.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createStubbedGateway, type StubbedGateway } from "../testing";

let gw: StubbedGateway;
beforeAll(() => {
  gw = createStubbedGateway();
});
afterAll(() => gw.close());

describe("405 Method Not Allowed", () => {
  const cases: [method: string, path: string, allow: string][] = [
    ["DELETE", "/users/", "GET, HEAD, POST"],
    ["PUT", "/users/7", "GET, HEAD"],
    ["TRACE", "/jobs/7", "GET, HEAD"],
    ["QUERY", "/pipelines/", "GET, HEAD, POST"],
    ["GET", "/jobs/7/cancel", "POST"],
    ["PATCH", "/schedules/7", "DELETE, GET, HEAD"],
    ["OPTIONS", "/login", "POST"],
    ["POST", "/healthz", "GET, HEAD"],
    // A static path is its own route's, not the {id} route's beside it.
    ["OPTIONS", "/jobs/retry", "POST"],
    ["GET", "/jobs/retry", "POST"],
    ["GET", "/jobs/batch", "POST"],
    ["DELETE", "/jobs/stats", "GET, HEAD"],
  ];
  for (const [method, path, allow] of cases)
    test(`${method} ${path} → 405, Allow: ${allow}`, async () => {
      // With a token: a parameter route beside the path (GET /jobs/{id} beside /jobs/retry) checks it first.
      const response = await gw.req(method, path, { token: await gw.token(["admin"]) });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = (await response.json()) as { type: string; status: number; detail: string };
      expect(body).toMatchObject({ type: "urn:problem-type:method-not-allowed", status: 405 });
      expect(body.detail).toContain(allow);
    });

  test("the allowed methods still work, and an unknown path is still 404", async () => {
    expect((await gw.req("GET", "/healthz")).status).toBe(200);
    expect((await gw.req("HEAD", "/healthz")).status).toBe(200);
    // A bad id on a route that has the method stays a 422 naming the field.
    const token = await gw.token(["admin"]);
    const badId = await gw.req("GET", "/jobs/abc", { token });
    expect(badId.status).toBe(422);
    expect(((await badId.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("id");
    const unknown = await gw.req("DELETE", "/nothing/here");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("allow")).toBeNull();
  });
});
