// The console module through app.handle: the shell and its CSP, assets and
// their content types, client-side routes, the API's own CSP left as it was,
// and the pipeline events stream over real services.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { SECURITY_HEADERS } from "../../plugins/securityHeaders";
import { startGatewayFixture, type GatewayFixture } from "../../testing";
import { buildConsole } from "./assets";
import { CONSOLE_CSP } from "./index";

let gw: GatewayFixture;
let token: string;

beforeAll(async () => {
  gw = await startGatewayFixture();
  token = await gw.login();
});
afterAll(() => gw.close());

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
    const directives = Object.fromEntries(CONSOLE_CSP.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
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
      expect(response.headers.get("content-type")).toBe(path.endsWith(".js") ? "text/javascript;charset=utf-8" : "text/css;charset=utf-8");
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
    for (const [path, auth] of [["/", false], ["/healthz", false], ["/jobs/", true], ["/nope", false]] as const) {
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

describe("pipeline events", () => {
  test("need a bearer token, and an unknown pipeline is a 404 problem", async () => {
    expect((await gw.req("GET", "/ui/api/pipelines/1/events")).status).toBe(401);
    const missing = await gw.req("GET", "/ui/api/pipelines/999999/events", { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toStartWith("application/problem+json");
  });

  test("follow only your own pipelines: another user's is a 404, a worker's request a 403, an admin follows any", async () => {
    const alice = await gw.account(["user"]);
    const bob = await gw.account(["user"]);
    const created = await gw.req("POST", "/pipelines/", { token: alice.token, body: { pipeline_name: "alice's events" } });
    const { id } = (await created.json()) as { id: number };
    expect((await gw.req("GET", `/ui/api/pipelines/${id}/events`, { token: bob.token })).status).toBe(404);
    expect((await gw.req("GET", `/ui/api/pipelines/${id}/events`, { token: (await gw.account(["worker"])).token })).status).toBe(403);
    for (const caller of [alice.token, token]) {
      const controller = new AbortController();
      const response = await gw.app.handle(
        new Request(`http://localhost/ui/api/pipelines/${id}/events`, { headers: { authorization: `Bearer ${caller}` }, signal: controller.signal }),
      );
      expect(response.status).toBe(200);
      const first = await response.body!.getReader().read();
      expect(new TextDecoder().decode(first.value)).toContain(`"owner":"${alice.subject}"`);
      controller.abort();
    }
  });

  test("stream the pipeline as its steps change, and end when it is final", async () => {
    const created = await gw.req("POST", "/pipelines/", { token, body: { pipeline_name: "events", steps: [{ name: "only", kind: "echo" }] } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const response = await gw.req("GET", `/ui/api/pipelines/${id}/events`, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const nextEvent = async () => {
      for (;;) {
        const end = text.indexOf("\n\n");
        if (end >= 0) {
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          if (frame.startsWith("data: ")) return JSON.parse(frame.slice(6)) as { status: string; steps: { status: string; job_id: number | null }[] };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        text += decoder.decode(value, { stream: true });
      }
    };
    const first = await nextEvent();
    expect(first?.steps).toHaveLength(1);
    // Play the worker: claim the step's job and complete it.
    const worker = (await gw.account(["worker"])).token;
    let claimed: { id: number; lease_token: string } | undefined;
    for (let i = 0; i < 50 && !claimed; i++) {
      const claim = await gw.req("POST", "/jobs/claim", { token: worker, body: { worker_id: "console-test", kinds: ["echo"] } });
      if (claim.status === 200) claimed = (await claim.json()) as { id: number; lease_token: string };
      else await Bun.sleep(100);
    }
    expect(claimed).toBeDefined();
    const done = await gw.req("POST", `/jobs/${claimed!.id}/complete`, { token: worker, body: { lease_token: claimed!.lease_token, result: { ok: true } } });
    expect(done.status).toBe(200);
    const statuses: string[] = [];
    for (let event = await nextEvent(); event; event = await nextEvent()) statuses.push(`${event.status}:${event.steps[0]!.status}`);
    expect(statuses.at(-1)).toBe("SUCCEEDED:SUCCEEDED");
    // The stream ended by itself (nextEvent returned undefined) once the pipeline was final.
  }, 20_000);
});

describe("the system page's traffic figures (GET /ui/api/metrics)", () => {
  test("an admin gets this replica's cumulative totals, which grow with traffic", async () => {
    const read = async () => {
      const response = await gw.req("GET", "/ui/api/metrics", { token });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      return (await response.json()) as { replica: string; at: number; http: { requests: number; duration_seconds_count: number; duration_buckets: Array<{ le: number | null; count: number }> } };
    };
    const before = await read();
    expect(before.replica).toBe("test-replica");
    for (let i = 0; i < 5; i++) expect((await gw.req("GET", "/healthz")).status).toBe(200);
    // afterResponse hooks count a request just after it is answered: read until they have.
    let after = await read();
    for (let i = 0; i < 100 && after.http.requests - before.http.requests < 5; i++) {
      await Bun.sleep(20);
      after = await read();
    }
    expect(after.http.requests - before.http.requests).toBeGreaterThanOrEqual(5);
    expect(after.http.duration_seconds_count).toBeGreaterThanOrEqual(after.http.requests - 1);
    // Cumulative buckets, ending with +Inf holding every observation.
    const last = after.http.duration_buckets.at(-1)!;
    expect(last.le).toBeNull();
    expect(last.count).toBe(after.http.duration_seconds_count);
  });

  test("needs a token, and the admin role", async () => {
    expect((await gw.req("GET", "/ui/api/metrics")).status).toBe(401);
    const email = `metrics-${crypto.randomUUID()}@example.com`;
    const created = await gw.req("POST", "/users/", { token, body: { name: "Viewer", email, password: "a-long-enough-password", roles: ["user"] } });
    expect(created.status).toBe(201);
    const login = await gw.req("POST", "/login", { body: { username: email, password: "a-long-enough-password" } });
    const userToken = ((await login.json()) as { access_token: string }).access_token;
    expect((await gw.req("GET", "/ui/api/metrics", { token: userToken })).status).toBe(403);
  });
});
