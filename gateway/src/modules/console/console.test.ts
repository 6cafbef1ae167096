// The console module through app.handle over stub upstreams: the shell and its
// CSP, assets and their content types, client-side routes, the API's own CSP
// left as it was. The pipeline events stream over real services: tests/gateway/console.test.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { SECURITY_HEADERS } from "../../plugins/securityHeaders";
import { createStubbedGateway, type StubbedGateway } from "../../testing";
import { buildConsole } from "./assets";
import { CONSOLE_CSP } from "./index";

let gw: StubbedGateway;
let token: string;

beforeAll(async () => {
  gw = createStubbedGateway();
  token = await gw.token(["user"]);
});

const assetPaths = (html: string) => [...html.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]!);

describe("the console's routes", () => {
  test("/ui serves the HTML shell with the console's own CSP", async () => {
    for (const path of ["/ui", "/ui/"]) {
      const response = await gw.req("GET", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
      expect(response.headers.get("x-request-id")).toBeTruthy();
      const html = await response.text();
      expect(html).toStartWith("<!doctype html>");
      expect(html).toContain('<div id="app">');
      // Everything the page loads comes from this origin: no CDN, no inline script or style.
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<script>|<style|style="/);
    }
  });

  test("the CSP allows this origin's scripts, styles and calls, and nothing else", () => {
    const directives = Object.fromEntries(
      CONSOLE_CSP.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(directives).toEqual({
      "default-src": "'none'",
      "script-src": "'self'",
      "style-src": "'self'",
      "img-src": "'self' data:",
      "connect-src": "'self'",
      "base-uri": "'none'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
    });
  });

  test("client-side routes get the same shell", async () => {
    const shell = await (await gw.req("GET", "/ui")).text();
    for (const path of ["/ui/jobs", "/ui/jobs/42", "/ui/pipelines/new", "/ui/no/such/page"]) {
      const response = await gw.req("GET", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
      expect(await response.text()).toBe(shell);
    }
  });

  test("assets are served with their content types, long-lived, under the API's strict CSP", async () => {
    const paths = assetPaths(await (await gw.req("GET", "/ui")).text());
    expect(paths.some((p) => p.endsWith(".js"))).toBe(true);
    expect(paths.some((p) => p.endsWith(".css"))).toBe(true);
    for (const path of paths) {
      const response = await gw.req("GET", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(
        path.endsWith(".js") ? "text/javascript;charset=utf-8" : "text/css;charset=utf-8",
      );
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("content-security-policy")).toBe(SECURITY_HEADERS["content-security-policy"]!);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  test("unknown files are 404 problems, not the shell", async () => {
    for (const path of ["/ui/assets/main-nothere.js", "/ui/favicon.ico", "/ui/jobs/x.png"]) {
      const response = await gw.req("GET", path);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toStartWith("application/problem+json");
    }
  });

  test("the API keeps its strict CSP", async () => {
    for (const [path, auth] of [
      ["/", false],
      ["/healthz", false],
      ["/jobs/", true],
      ["/nope", false],
    ] as const) {
      const response = await gw.req("GET", path, auth ? { token } : {});
      expect(response.headers.get("content-security-policy")).toBe(SECURITY_HEADERS["content-security-policy"]!);
    }
  });

  test("the build is self-contained: preact is bundled, nothing is imported at run time", async () => {
    const bundle = await buildConsole(join(import.meta.dir, "..", "..", "..", "console"));
    const script = [...bundle.assets.entries()].find(([name]) => name.endsWith(".js"))![1].body;
    // No module imports left (minified `import{`, `import"`, `import(`), and production JSX.
    expect(/\bimport\s*[{("'*]/.test(script)).toBe(false);
    expect(script.includes("jsxDEV")).toBe(false);
    expect(/void 0,!1,void 0,this\)/.test(script)).toBe(false);
    expect(bundle.shell).toContain(`/ui/assets/${[...bundle.assets.keys()].find((n) => n.endsWith(".js"))}`);
  });
});
