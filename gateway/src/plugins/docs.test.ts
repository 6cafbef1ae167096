// The OpenAPI document describes every route the app serves, marks exactly the
// routes that demand a token as bearer-protected, and is structurally valid
// OpenAPI 3; /docs is served without any third-party asset.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import gatewayPackage from "../../package.json" with { type: "json" };
import { createStubbedGateway, type StubbedGateway } from "../testing";

let gw: StubbedGateway;
let doc: Record<string, any>;
beforeAll(async () => {
  gw = await createStubbedGateway();
  const response = await gw.req("GET", "/openapi.json");
  expect(response.status).toBe(200);
  doc = (await response.json()) as Record<string, any>;
});
afterAll(() => gw.close());

// Not part of the API: the documentation itself, metrics, and the console's pages and assets.
const NOT_API = /^\/(?:openapi\.json|docs(?:\/.*)?|metrics|ui(?:\/(?!api\/).*)?)$/;
const toOpenApiPath = (path: string) => path.replace(/:([^/]+)/g, "{$1}");
const documentedRoutes = () => gw.app.routes.filter((route) => !NOT_API.test(route.path));

test("only routes outside the API are hidden from the document", () => {
  const hidden = gw.app.routes
    .filter((route) => (route.hooks as { detail?: { hide?: boolean } }).detail?.hide)
    .map((r) => r.path);
  expect(hidden.filter((path) => !NOT_API.test(path))).toEqual([]);
});
const concrete = (path: string) => path.replace(/:[^/]+/g, "1");

describe("OpenAPI document", () => {
  test("every route the app registers is documented with its method and path", () => {
    const routes = documentedRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) {
      const operation = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
      expect({ route: `${route.method} ${route.path}`, documented: operation !== undefined }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
    }
  });

  test("exactly the routes that answer 401 without a token declare bearer security", async () => {
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    let protectedCount = 0;
    for (const route of documentedRoutes()) {
      const operation = doc.paths[toOpenApiPath(route.path)][route.method.toLowerCase()];
      const response = await gw.req(route.method, concrete(route.path), route.method === "POST" ? { body: {} } : {});
      const demandsToken = response.status === 401;
      const declared = JSON.stringify(operation.security ?? []) === JSON.stringify([{ bearerAuth: [] }]);
      expect({ route: `${route.method} ${route.path}`, declared }).toEqual({
        route: `${route.method} ${route.path}`,
        declared: demandsToken,
      });
      if (demandsToken) {
        protectedCount++;
        expect(operation.responses["401"]).toBeDefined();
      }
    }
    expect(protectedCount).toBeGreaterThanOrEqual(9);
  });

  test("request schemas come from the validating route schemas", () => {
    const createUser = doc.paths["/users/"].post;
    const schema = createUser.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["name", "email"]));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.password).toMatchObject({ type: "string", writeOnly: true });
    expect(schema.properties.roles.items.enum).toEqual(["admin", "user", "worker"]);
    expect(doc.paths["/users/{id}"].get.parameters).toContainEqual(
      expect.objectContaining({ name: "id", in: "path", required: true }),
    );
    expect(doc.paths["/users/"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      "page_size",
      "page_token",
    ]);
  });

  test("every operation declares its success with a schema, and every error refers to the one Problem", () => {
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths))
      for (const [method, operation] of Object.entries<Record<string, any>>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const codes = Object.keys(operation.responses);
        const successes = codes.filter((code) => code.startsWith("2"));
        expect({ where, successes: successes.length > 0 }).toEqual({ where, successes: true });
        for (const code of successes) {
          if (code === "204") continue;
          const [media] = Object.values<Record<string, any>>(operation.responses[code].content ?? {});
          expect({ where, code, schema: media?.schema !== undefined }).toEqual({ where, code, schema: true });
        }
        for (const code of codes.filter((c) => Number(c) >= 400))
          expect({ where, code, content: operation.responses[code].content }).toEqual({
            where,
            code,
            content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
          });
        expect(codes).toContain("500");
      }
  });

  test("statuses the server sends are declared where they apply", () => {
    const codes = (path: string, method: string) => Object.keys(doc.paths[path][method].responses);
    expect(codes("/login", "post")).toEqual(expect.arrayContaining(["200", "401", "422", "429", "503"]));
    expect(codes("/jobs/claim", "post")).toEqual(expect.arrayContaining(["200", "204", "403"]));
    for (const action of ["cancel", "heartbeat", "complete", "fail", "retry"])
      expect(codes(`/jobs/{id}/${action}`, "post")).toEqual(expect.arrayContaining(["200", "404"]));
    expect(codes("/jobs/{id}/cancel", "post")).not.toContain("201");
    expect(codes("/users/", "post")).toEqual(expect.arrayContaining(["201", "403", "409", "413", "415"]));
    expect(codes("/users/{id}", "get")).toEqual(expect.arrayContaining(["404", "429", "503", "504"]));
  });

  test("batch claims, batch completions, retry/re-run, stats per queue and list filters declare their shapes", () => {
    const json = (path: string, method: string, code: string) =>
      doc.paths[path][method].responses[code].content["application/json"].schema;
    const claimed = json("/jobs/claim", "post", "200").anyOf;
    expect(claimed).toHaveLength(2);
    expect(claimed[0].required).toContain("lease_token");
    expect(claimed[1].properties.items.items.required).toContain("lease_token");
    const claimBody = doc.paths["/jobs/claim"].post.requestBody.content["application/json"].schema;
    expect(claimBody.properties.max_jobs).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
    const completed = json("/jobs/complete", "post", "200").properties.results.items.properties;
    expect(completed.outcome.enum).toEqual(["recorded", "stale_lease", "wrong_lease", "not_found"]);
    expect(Object.keys(doc.paths["/jobs/complete"].post.responses)).toEqual(
      expect.arrayContaining(["200", "403", "422"]),
    );
    expect(json("/jobs/stats", "get", "200").required).toContain("by_queue");
    expect(json("/jobs/stats", "get", "200").properties.by_queue.items.required).toEqual(
      expect.arrayContaining(["kind", "queue", "pending"]),
    );
    const filters = doc.paths["/jobs/"].get.parameters.filter((p: { name: string }) =>
      ["kind", "queue"].includes(p.name),
    );
    for (const filter of filters) expect(filter.schema.pattern).toStartWith("^[a-z]");
    expect(filters).toHaveLength(2);
    const backoff = doc.paths["/jobs/"].post.requestBody.content["application/json"].schema.properties.backoff;
    expect(backoff.properties.initial_ms).toMatchObject({ type: "integer", minimum: 1, maximum: 86_400_000 });
    expect(backoff.properties.multiplier).toMatchObject({ type: "number", minimum: 1, maximum: 10 });
    expect(json("/jobs/{id}", "get", "200").required).toContain("backoff");
    expect(json("/schedules/{id}", "get", "200").required).toContain("last_job_id");
    expect(json("/pipelines/{id}", "get", "200").required).toEqual(
      expect.arrayContaining(["parameters", "retries", "rerun_of"]),
    );
    expect(Object.keys(doc.paths["/pipelines/{id}/retry"].post.responses)).toEqual(
      expect.arrayContaining(["200", "404", "409"]),
    );
    const rerun = doc.paths["/pipelines/{id}/rerun"].post;
    expect(rerun.requestBody.required).toBe(false);
    expect(doc.paths["/pipelines/"].post.requestBody.required).toBe(true);
    expect(Object.keys(rerun.responses)).toEqual(expect.arrayContaining(["200", "201", "404", "422"]));
    expect(rerun.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`).sort()).toEqual([
      "header Idempotency-Key",
      "path id",
    ]);
  });

  test("integers are integers: path ids 1..2^53-1, page sizes bounded, bodies without numeric strings", () => {
    const id = doc.paths["/users/{id}"].get.parameters.find((p: { name: string }) => p.name === "id").schema;
    expect(id).toMatchObject({ type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    const pageSize = doc.paths["/jobs/"].get.parameters.find((p: { name: string }) => p.name === "page_size").schema;
    expect(pageSize).toMatchObject({ type: "integer", minimum: 1 });
    expect(JSON.stringify(doc).includes(`"format":"integer"`)).toBe(false);
    expect(doc.paths["/jobs/"].post.requestBody.content["application/json"].schema.properties.priority.type).toBe(
      "integer",
    );
  });

  test("info.version is the gateway package's version", () => {
    expect(doc.info.version).toBe(gatewayPackage.version);
  });

  test("error responses are problem+json", () => {
    const problem = doc.paths["/users/{id}"].get.responses["404"];
    expect(problem.content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
    expect(doc.components.schemas.Problem.required).toEqual(["type", "title", "status", "detail"]);
  });

  test("is structurally valid OpenAPI 3", () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(typeof doc.info.title).toBe("string");
    expect(typeof doc.info.version).toBe("string");
    const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      expect(path).toStartWith("/");
      for (const [method, operation] of Object.entries<Record<string, any>>(item)) {
        expect(methods.has(method)).toBe(true);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const [code, response] of Object.entries<Record<string, any>>(operation.responses)) {
          expect(code).toMatch(/^(?:[1-5]\d\d|default)$/);
          expect(typeof response.description).toBe("string");
        }
        expect(operationIds.has(operation.operationId)).toBe(false);
        operationIds.add(operation.operationId);
        // Every {param} in the path is declared as a required path parameter.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          expect(operation.parameters).toContainEqual(expect.objectContaining({ name, in: "path", required: true }));
        }
        for (const requirement of operation.security ?? []) {
          for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes[scheme]).toBeDefined();
        }
      }
    }
    // Every local $ref resolves.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) {
      const target = ref.split("/").reduce<any>((node, key) => node?.[key], doc);
      expect({ ref, resolves: target !== undefined }).toEqual({ ref, resolves: true });
    }
  });
});

describe("/docs", () => {
  test("neither the generator nor Swagger UI is loaded before they are first asked for", () => {
    const script = `
      const { createStubbedGateway } = await import(${JSON.stringify(`${import.meta.dir}/../testing.ts`)});
      const loaded = () => Object.keys(require.cache).some((k) => k.includes("@elysiajs/openapi"));
      const gw = createStubbedGateway();
      const before = loaded();
      await gw.req("GET", "/openapi.json");
      console.log(JSON.stringify({ before, after: loaded() }));
      await gw.close();`;
    const result = Bun.spawnSync(["bun", "-e", script], { stdout: "pipe", stderr: "pipe" });
    expect(JSON.parse(result.stdout.toString().trim().split("\n").pop() ?? "{}")).toEqual({
      before: false,
      after: true,
    });
  });

  test("serves Swagger UI from the gateway itself: no asset from another origin", async () => {
    const response = await gw.req("GET", "/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    const html = await response.text();
    // No inline script: the page's CSP allows scripts from the gateway only.
    expect(html).not.toMatch(/<script>/);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(response.headers.get("content-security-policy")).not.toContain("unsafe-eval");
    expect(await (await gw.req("GET", "/docs/assets/init.js")).text()).toContain('"/openapi.json"');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source).toStartWith("/docs/assets/");
      expect((await gw.req("GET", source)).status).toBe(200);
    }
  });

  test("the API keeps its strict CSP", async () => {
    expect((await gw.req("GET", "/openapi.json")).headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  test("serves only the Swagger UI files it knows", async () => {
    expect((await gw.req("GET", "/docs/assets/package.json")).status).toBe(404);
  });
});
