// Every response a gateway suite receives, checked against the OpenAPI document
// the same app serves: its status is declared for the operation, its media type
// is the declared one, and its JSON body validates against the declared schema
// (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). startGatewayFixture's `req`
// runs every response through it, so the document and the server cannot drift apart
// without a gateway suite failing.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";

type Json = Record<string, any>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

export interface ResponseChecker {
  /** What is wrong with this answer to `method url` (empty when it conforms). */
  check(method: string, url: string, response: Response): Promise<string[]>;
}

export function responseChecker(document: unknown): ResponseChecker {
  const doc = document as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  ajv.addFormat("date-time", (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)));
  ajv.addSchema(doc, "openapi");
  const validators = new Map<string, ValidateFunction>();
  // Static paths before parametric ones, so /jobs/stats is not read as /jobs/{id}.
  const templates = Object.keys(doc.paths)
    .map((path) => ({
      path,
      params: (path.match(/\{/g) ?? []).length,
      match: new RegExp(`^${path.replace(/[.+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
    }))
    .sort((a, b) => a.params - b.params);

  return {
    async check(method, url, response) {
      const path = new URL(url, "http://localhost").pathname;
      const template = templates.find((t) => t.match.test(path))?.path;
      const operation = template ? doc.paths[template][method.toLowerCase()] : undefined;
      // Undocumented paths (console pages, /docs, /metrics) and methods (405s) are not the document's.
      if (!template || !operation) return [];
      const where = `${method} ${template} → ${response.status}`;
      const status = String(response.status);
      const declared = operation.responses?.[status] ?? operation.responses?.default;
      if (!declared)
        return [`${where}: status not declared (declared: ${Object.keys(operation.responses).join(", ")})`];
      const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
      const content: Json = declared.content ?? {};
      const mediaTypes = Object.keys(content);
      if (mediaTypes.length === 0) return [];
      if (!mediaTypes.includes(contentType))
        return [`${where}: content-type ${contentType || "(none)"} is not one of ${mediaTypes.join(", ")}`];
      if (!contentType.endsWith("json")) return [];
      const key = `${template} ${method} ${status} ${contentType}`;
      let validate = validators.get(key);
      if (!validate) {
        const code = operation.responses[status] ? status : "default";
        const ref = pointer(
          "paths",
          template,
          method.toLowerCase(),
          "responses",
          code,
          "content",
          contentType,
          "schema",
        );
        validate = ajv.compile({ $ref: `openapi#/${ref}` });
        validators.set(key, validate);
      }
      const body = await response.clone().json();
      if (validate(body)) return [];
      return [`${where}: body does not match the schema: ${ajv.errorsText(validate.errors)}`];
    },
  };
}
