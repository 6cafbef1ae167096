// The typed client against the real gateway app (stub upstreams, through
// app.handle): data comes back as the routes declare it, the token is sent,
// every error answer becomes an ApiError with the problem's fields, and no
// answer at all a NetworkError.
import { describe, expect, test } from "bun:test";
import { createStubbedGateway } from "@platform/gateway/testing";
import { createApi, normalizeBaseUrl, unwrap } from "./api";
import { ApiError, NetworkError, toProblem } from "./problem";

const CREATED = { seconds: "1764000000", nanos: 0 };
const wireUser = (id: string) => ({
  id,
  name: `User ${id}`,
  email: `user${id}@example.com`,
  roles: ["ROLE_USER"],
  created_at: CREATED,
});
/** A gRPC error as grpc-js rejects with it (5: NOT_FOUND). */
const grpcNotFound = (details: string) => Object.assign(new Error(details), { code: 5, details });

const gateway = createStubbedGateway({}, {
  users: {
    GetUser: (request) => {
      if (request.id === "9") throw grpcNotFound("user 9 not found");
      return wireUser(String(request.id));
    },
  },
} as Parameters<typeof createStubbedGateway>[1]);
const seen: { url: string; headers: Headers }[] = [];
const fetcher = ((input, init) => {
  const request = new Request(input as string, init);
  seen.push({ url: request.url, headers: request.headers });
  return gateway.app.handle(request);
}) as typeof fetch;
const client = (token?: string) => createApi({ baseUrl: "http://gateway.test/", fetcher, ...(token ? { token } : {}) });

describe("createApi", () => {
  test("a call returns the route's data, with the token as a Bearer header", async () => {
    const token = await gateway.login();
    const user = await unwrap(client(token).users({ id: 7 }).get());
    expect(user).toEqual({
      id: 7,
      name: "User 7",
      email: "user7@example.com",
      roles: ["user"],
      created_at: "2025-11-24T16:00:00.000Z",
    });
    expect(seen.at(-1)!.headers.get("authorization")).toBe(`Bearer ${token}`);
    expect(new URL(seen.at(-1)!.url).pathname).toBe("/users/7");
  });

  test("a token function is asked on every call (a new login takes effect at once)", async () => {
    let current: string | undefined;
    const api = createApi({ baseUrl: "http://gateway.test", fetcher, token: () => current });
    await expect(unwrap(api.users({ id: 1 }).get())).rejects.toMatchObject({ status: 401 });
    expect(seen.at(-1)!.headers.has("authorization")).toBe(false);
    current = await gateway.login();
    expect((await unwrap(api.users({ id: 1 }).get())).id).toBe(1);
  });

  test("timestamps stay RFC 3339 strings, as declared (Eden would make Dates of them)", async () => {
    const token = await gateway.login();
    expect(typeof (await unwrap(client(token).users({ id: 3 }).get())).created_at).toBe("string");
  });

  test("query parameters", async () => {
    const token = await gateway.login();
    const page = await unwrap(client(token).users.get({ query: { page_size: "5" } }));
    expect(page).toEqual({ items: [], next_page_token: "" });
    expect(new URL(seen.at(-1)!.url).search).toBe("?page_size=5");
  });
});

describe("errors", () => {
  test("404: an ApiError with the problem's status, title, detail and request id", async () => {
    const token = await gateway.login();
    const error = await unwrap(client(token).users({ id: 9 }).get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect([api.status, api.title, api.detail]).toEqual([404, "Not Found", "user 9 not found"]);
    expect(api.message).toBe("user 9 not found");
    expect(api.requestId).toBeString();
    expect(api.problem.type).toContain("not-found");
  });

  test("422: the field errors, by name", async () => {
    const token = await gateway.login();
    const error = (await unwrap(client(token).users.post({ name: "", email: "x@example.com" })).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.status).toBe(422);
    expect(error.errors.map((e) => e.field)).toEqual(["name"]);
    expect(Object.keys(error.fieldErrors)).toEqual(["name"]);
  });

  test("401 without a token", async () => {
    const error = (await unwrap(client().users({ id: 1 }).get()).catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.title]).toEqual([401, "Unauthorized"]);
  });

  test("no answer (nothing listens there): a NetworkError, not an ApiError", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const url = `http://127.0.0.1:${server.port}`;
    await server.stop(true);
    const error = await unwrap(createApi({ baseUrl: url }).jobs.get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).aborted).toBe(false);
  });

  test("a call past its timeout is given up: a NetworkError that says so", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Promise<Response>(() => {}) });
    try {
      const api = createApi({ baseUrl: `http://127.0.0.1:${server.port}`, timeoutMs: 50 });
      const error = (await unwrap(api.jobs.get()).catch((e: unknown) => e)) as NetworkError;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.aborted).toBe(true);
    } finally {
      await server.stop(true);
    }
  });

  test("an error body that is not a problem (a proxy's page) still gives status and title", () => {
    expect(toProblem(502, "<html>bad gateway</html>")).toEqual({
      type: "about:blank",
      title: "Bad Gateway",
      status: 502,
      detail: "<html>bad gateway</html>",
    });
    expect(toProblem(503, "").detail).toBe("request failed with status 503");
    expect(
      toProblem(422, { title: "Unprocessable Content", errors: [{ field: "a", message: "b" }, { nope: 1 }] }).errors,
    ).toEqual([{ field: "a", message: "b" }]);
  });
});

describe("normalizeBaseUrl", () => {
  test.each([
    ["http://localhost:8080/", "http://localhost:8080"],
    ["https://api.example.com/base//", "https://api.example.com/base"],
  ])("%s → %s", (given, expected) => expect(normalizeBaseUrl(given)).toBe(expected));

  test.each(["localhost:8080", "ftp://x", "http://x/?a=1", ""])("%p is refused", (given) => {
    expect(() => normalizeBaseUrl(given)).toThrow(TypeError);
  });
});
