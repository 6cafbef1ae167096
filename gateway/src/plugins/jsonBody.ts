// Request bodies are JSON, bounded in size, and fail with a precise problem:
// 413 too large, 415 not JSON, 400 not parseable, 422 missing, or with a
// prototype key (__proto__, constructor, prototype), a duplicate key or
// nesting deeper than MAX_JSON_DEPTH anywhere in it.
import { Elysia } from "elysia";
import { jsonKeyProblems } from "../http/jsonKeys";
import { HttpProblem, validationProblem } from "../http/problem";

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const tooLarge = (maxBytes: number) =>
  new HttpProblem(413, "payload-too-large", `the request body exceeds ${maxBytes} bytes`);

export const jsonBody = (options: { maxBytes: number }) =>
  new Elysia({ name: "json-body", seed: options.maxBytes })
    .onRequest(({ request }) => {
      const declared = Number(request.headers.get("content-length") ?? 0);
      if (declared > options.maxBytes) throw tooLarge(options.maxBytes);
    })
    .onParse({ as: "global" }, async ({ request }) => {
      const contentType = request.headers.get("content-type") ?? "";
      // A POST without any body (e.g. POST /jobs/1/cancel) is not a body in the wrong format;
      // routes that need a body still answer 422 from their schema.
      if (
        contentType === "" &&
        !request.headers.has("transfer-encoding") &&
        Number(request.headers.get("content-length") ?? 0) === 0
      )
        return;
      if (!JSON_CONTENT_TYPE.test(contentType)) {
        throw new HttpProblem(
          415,
          "unsupported-media-type",
          `send the body as application/json, not ${contentType || "without a content type"}`,
        );
      }
      // Chunked bodies carry no content-length: count what actually arrives.
      const bytes = await request.arrayBuffer();
      if (bytes.byteLength > options.maxBytes) throw tooLarge(options.maxBytes);
      const text = new TextDecoder().decode(bytes);
      if (text.trim() === "")
        throw validationProblem([{ field: "body", message: "a JSON body is required" }], "the request body is empty");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpProblem(400, "malformed-body", "the request body is not valid JSON");
      }
      const keyProblems = jsonKeyProblems(text);
      if (keyProblems.length > 0)
        throw validationProblem(keyProblems, "the request body has forbidden or duplicate keys");
      return body;
    });
