// The console's pipeline events stream and the system page's figures, through
// app.handle over real services. Its routes and CSP: gateway/src/modules/console/console.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

let gw: GatewayFixture;
let token: string;

beforeAll(async () => {
  gw = await startGatewayFixture();
  token = await gw.login();
});
afterAll(() => gw.close());

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
    const created = await gw.req("POST", "/pipelines/", {
      token: alice.token,
      body: { pipeline_name: "alice's events" },
    });
    const { id } = (await created.json()) as { id: number };
    expect((await gw.req("GET", `/ui/api/pipelines/${id}/events`, { token: bob.token })).status).toBe(404);
    expect(
      (await gw.req("GET", `/ui/api/pipelines/${id}/events`, { token: (await gw.account(["worker"])).token })).status,
    ).toBe(403);
    for (const caller of [alice.token, token]) {
      const controller = new AbortController();
      const response = await gw.app.handle(
        new Request(`http://localhost/ui/api/pipelines/${id}/events`, {
          headers: { authorization: `Bearer ${caller}` },
          signal: controller.signal,
        }),
      );
      expect(response.status).toBe(200);
      const first = await response.body!.getReader().read();
      expect(new TextDecoder().decode(first.value)).toContain(`"owner":"${alice.subject}"`);
      controller.abort();
    }
  });

  test("stream the pipeline as its steps change, and end when it is final", async () => {
    const created = await gw.req("POST", "/pipelines/", {
      token,
      body: { pipeline_name: "events", steps: [{ name: "only", kind: "echo" }] },
    });
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
          if (frame.startsWith("data: "))
            return JSON.parse(frame.slice(6)) as { status: string; steps: { status: string; job_id: number | null }[] };
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
      const claim = await gw.req("POST", "/jobs/claim", {
        token: worker,
        body: { worker_id: "console-test", kinds: ["echo"] },
      });
      if (claim.status === 200) claimed = (await claim.json()) as { id: number; lease_token: string };
      else await Bun.sleep(100);
    }
    expect(claimed).toBeDefined();
    const done = await gw.req("POST", `/jobs/${claimed!.id}/complete`, {
      token: worker,
      body: { lease_token: claimed!.lease_token, result: { ok: true } },
    });
    expect(done.status).toBe(200);
    const statuses: string[] = [];
    for (let event = await nextEvent(); event; event = await nextEvent())
      statuses.push(`${event.status}:${event.steps[0]!.status}`);
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
      return (await response.json()) as {
        replica: string;
        at: number;
        http: {
          requests: number;
          duration_seconds_count: number;
          duration_buckets: Array<{ le: number | null; count: number }>;
        };
      };
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
    const created = await gw.req("POST", "/users/", {
      token,
      body: { name: "Viewer", email, password: "a-long-enough-password", roles: ["user"] },
    });
    expect(created.status).toBe(201);
    const login = await gw.req("POST", "/login", { body: { username: email, password: "a-long-enough-password" } });
    const userToken = ((await login.json()) as { access_token: string }).access_token;
    expect((await gw.req("GET", "/ui/api/metrics", { token: userToken })).status).toBe(403);
  });
});
