// GET /openapi.json and the interactive page at /docs. The document is generated
// by @elysiajs/openapi from the routes' own declarations (params, query, body,
// `response` per status: http/responses.ts; tags and bearer security: each
// module's guard), the same schemas that validate requests and type the Eden
// client. Only what the generator cannot know of this gateway is rendered here,
// by rule, never per route: bodies are JSON (the one media type jsonBody
// parses), errors are application/problem+json, and streams are text/event-stream.
//
// Nothing of it is loaded at start: the generator on the first /openapi.json,
// Swagger UI (from swagger-ui-dist, not a CDN, so /docs works offline) on the first /docs.
import { KindGuard, type TSchema } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { dirname, join } from "node:path";
import { PROBLEM_CONTENT_TYPE } from "../http/problem";
import { BEARER_SCHEME, Problem, PROBLEM_REF } from "../http/responses";

export { BEARER_SCHEME };
export const OPENAPI_PATH = "/openapi.json";
export const DOCS_PATH = "/docs";
const ASSETS = "/docs/assets";
const SWAGGER_UI_FILES = new Set(["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png"]);
let swaggerUiDir: string | undefined;
const swaggerUi = () => {
  swaggerUiDir ??= dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));
  return swaggerUiDir;
};

/**
 * The API's CSP allows nothing; the docs page gets its own, which still allows
 * no inline script: the page loads Swagger UI and its start-up script from
 * /docs/assets. Swagger UI sets style attributes, so styles are looser (they
 * cannot run code).
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const docsPage = (title: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${title}</title>
  <link rel="stylesheet" href="${ASSETS}/swagger-ui.css" />
  <link rel="icon" type="image/png" href="${ASSETS}/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${ASSETS}/swagger-ui-bundle.js"></script>
  <script src="${ASSETS}/init.js"></script>
</body>
</html>
`;

const DOCS_INIT_SCRIPT = `window.ui = SwaggerUIBundle({ dom_id: "#swagger-ui", url: ${JSON.stringify(OPENAPI_PATH)}, persistAuthorization: true });\n`;

const TITLE = "API gateway";

export const docs = (options: { version: string }) => {
  const plugin = new Elysia({ name: "docs" });
  let cached: { routes: number; document: OpenApiDocument } | undefined;
  return plugin
    .get(
      OPENAPI_PATH,
      async () => {
        const routes = globalRoutes(plugin).length;
        if (cached?.routes !== routes) cached = { routes, document: await generate(plugin, options.version) };
        return cached.document;
      },
      { detail: { hide: true } },
    )
    .get(
      DOCS_PATH,
      ({ set }) => {
        set.headers["content-type"] = "text/html; charset=utf-8";
        set.headers["content-security-policy"] = DOCS_CONTENT_SECURITY_POLICY;
        return docsPage(TITLE);
      },
      { detail: { hide: true } },
    )
    .get(
      `${ASSETS}/init.js`,
      ({ set }) => {
        set.headers["content-type"] = "text/javascript; charset=utf-8";
        return DOCS_INIT_SCRIPT;
      },
      { detail: { hide: true } },
    )
    .get(
      `${ASSETS}/:file`,
      ({ params, set }) => {
        if (!SWAGGER_UI_FILES.has(params.file)) {
          set.status = 404;
          return "not found";
        }
        set.headers["cache-control"] = "public, max-age=86400";
        return Bun.file(join(swaggerUi(), params.file));
      },
      { detail: { hide: true } },
    );
};

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI JSON, walked generically
type Json = Record<string, any>;
interface OpenApiDocument {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, Json>>;
  components: Json;
}

async function generate(app: Elysia, version: string): Promise<OpenApiDocument> {
  const { toOpenAPISchema } = await import("@elysiajs/openapi/openapi");
  const { paths } = toOpenAPISchema(app, undefined, undefined, undefined, "3.1.2");
  const bodies = new Map<string, TSchema>();
  const detailParameters = new Map<string, Json[]>();
  for (const route of globalRoutes(app)) {
    const key = `${route.method.toLowerCase()} ${toOpenApiPath(route.path)}`;
    if (route.hooks.body) bodies.set(key, route.hooks.body);
    if (route.hooks.detail?.parameters) detailParameters.set(key, route.hooks.detail.parameters);
  }
  for (const [path, item] of Object.entries(paths as OpenApiDocument["paths"]))
    for (const [method, operation] of Object.entries(item)) {
      renderMediaTypes(operation, bodies.get(`${method} ${path}`));
      keepDetailParameters(operation, detailParameters.get(`${method} ${path}`) ?? []);
    }
  return JSON.parse(
    JSON.stringify({
      openapi: "3.1.2",
      info: {
        title: TITLE,
        version,
        description:
          "The HTTP API in front of the users, jobs and pipelines services. Get a token from POST /login, then send it as `Authorization: Bearer <token>`.",
      },
      paths,
      components: {
        securitySchemes: { [BEARER_SCHEME]: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
        schemas: { Problem },
      },
    }),
  );
}

/** Every route of the app the plugin is part of (what @elysiajs/openapi reads too). */
const globalRoutes = (app: Elysia) =>
  (app as unknown as { getGlobalRoutes(): { method: string; path: string; hooks: Json }[] }).getGlobalRoutes();
const toOpenApiPath = (path: string) => path.replace(/:([^/]+)/g, "{$1}");

/**
 * The generator replaces a route's `detail.parameters` (the Idempotency-Key header) with those of its
 * schemas when it has any (an {id}): keep both.
 */
function keepDetailParameters(operation: Json, declared: Json[]): void {
  const generated: Json[] = operation.parameters ?? [];
  const missing = declared.filter((p) => !generated.some((g) => g.name === p.name && g.in === p.in));
  if (missing.length > 0) operation.parameters = [...generated, ...missing];
}

/** The media types this gateway speaks, by rule: JSON in, problem+json errors, text/event-stream streams. */
function renderMediaTypes(operation: Json, body: TSchema | undefined): void {
  if (operation.requestBody && body) {
    operation.requestBody.content = { "application/json": { schema: body } };
    // The generator marks every body required; an optional one (POST /pipelines/{id}/rerun) may be left out.
    if (KindGuard.IsOptional(body)) operation.requestBody.required = false;
  }
  for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
    const schema = response.content && Object.values<Json>(response.content)[0]?.schema;
    if (response.content?.type === "void") {
      operation.responses[status] = { description: response.description ?? "No content." };
    } else if (schema?.$ref === PROBLEM_REF) {
      const { description, ...reference } = schema;
      operation.responses[status] = {
        description: description ?? response.description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: reference } },
      };
    } else if (typeof schema?.contentMediaType === "string") {
      response.content = { [schema.contentMediaType]: { schema: { type: "string" } } };
    }
  }
}
