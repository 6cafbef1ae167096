// The whole system as processes, exporting spans to a tiny OTLP/HTTP receiver
// run by the test: one trace id spans the gateway and the service with correct
// parent/child links, log lines carry the trace id, every process serves
// Prometheus metrics, and no secret ever reaches a log line.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Server } from "bun";
import { startSystem, type RunningSystem } from "@platform/harness";
import { eventually } from "@platform/kit/testing";

// These suites start real processes: bun's 5 s default (hooks included; bunfig's
// [test] timeout is not applied to them by bun 1.4.5) is too short on a loaded 2-core machine.
setDefaultTimeout(30_000);

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
}

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN_ID = "00f067aa0ba902b7";
const ADMIN_PASSWORD = "pw-Zq8sV1xK3";
/** How long a span or a log line may take to arrive (the exporter batches). */
const WAIT_MS = 10_000;

const spans: ReceivedSpan[] = [];
const lines: { component: string; line: string }[] = [];
let receiver: Server<undefined>;
let system: RunningSystem;
let accessToken: string;

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = (await request.json()) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      for (const resourceSpans of body.resourceSpans) {
        const service =
          resourceSpans.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "?";
        for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      return Response.json({});
    },
  });
  system = await startSystem({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      LOG_LEVEL: "trace",
    },
    gatewayEnv: { ADMIN_PASSWORD },
    onLine: (component, line) => lines.push({ component, line }),
  });
  const login = await fetch(`${system.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  accessToken = ((await login.json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await system?.stop();
  receiver?.stop(true);
});

describe("tracing", () => {
  test("one trace id spans the gateway and the users service, each span a child of the one before", async () => {
    const response = await fetch(`${system.url}/users/`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
        "x-request-id": "trace-test-1",
      },
    });
    expect(response.status).toBe(200);

    const ofTrace = () => spans.filter((s) => s.traceId === TRACE_ID);
    const serviceSpan = await eventually(
      () => ofTrace().find((s) => s.service === "users"),
      WAIT_MS,
      "the users service's span",
    );
    const gatewaySpans = await eventually(
      () => {
        const found = ofTrace().filter((s) => s.service === "api-gateway");
        return found.length >= 2 ? found : undefined;
      },
      WAIT_MS,
      "the gateway's two spans",
    );
    const server = gatewaySpans.find((s) => s.kind === 2)!; // SERVER
    const client = gatewaySpans.find((s) => s.kind === 3)!; // CLIENT

    expect(server.name).toBe("GET /users/");
    expect(server.parentSpanId).toBe(CALLER_SPAN_ID);
    expect(client.name).toBe("users.v1.UsersService/ListUsers");
    expect(client.parentSpanId).toBe(server.spanId);
    expect(serviceSpan.name).toBe("users.v1.UsersService/ListUsers");
    expect(serviceSpan.kind).toBe(2);
    expect(serviceSpan.parentSpanId).toBe(client.spanId);
    console.log(
      [
        "sample trace:",
        ...[server, client, serviceSpan].map(
          (s, depth) => `${"  ".repeat(depth)}${s.service}: ${s.name} (span ${s.spanId}, parent ${s.parentSpanId})`,
        ),
      ].join("\n"),
    );
  });

  test("the request's log lines carry its trace id, in the gateway and in the service", async () => {
    const traced = (component: string) =>
      lines.some(
        ({ component: c, line }) =>
          c === component && line.includes(`"traceId":"${TRACE_ID}"`) && line.includes('"requestId":"trace-test-1"'),
      );
    await eventually(
      () => (traced("gateway-1") && traced("users") ? true : undefined),
      WAIT_MS,
      "log lines with the trace id",
    );
  });

  test("a request without traceparent starts a new trace at the gateway", async () => {
    const before = new Set(spans.map((s) => s.traceId));
    expect((await fetch(`${system.url}/jobs/`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(
      200,
    );
    const root = await eventually(
      () => spans.find((s) => s.service === "api-gateway" && s.name === "GET /jobs/" && !before.has(s.traceId)),
      WAIT_MS,
      "a new root span",
    );
    expect(root.parentSpanId ?? "").toBe("");
    await eventually(
      () => spans.find((s) => s.service === "jobs" && s.traceId === root.traceId),
      WAIT_MS,
      "the jobs span in the same trace",
    );
  });
});

describe("metrics", () => {
  test("each gRPC service serves per-method metrics and process metrics on its metrics port", async () => {
    for (const [name, component] of Object.entries(system.services)) {
      expect(component.metricsPort).toBeGreaterThan(0);
      const response = await fetch(`http://127.0.0.1:${component.metricsPort}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain("# TYPE grpc_server_handling_seconds histogram");
      expect(text).toContain("process_cpu_seconds_total");
      expect(text).toContain("process_resident_memory_bytes");
      if (name === "users")
        expect(text).toMatch(
          /grpc_server_handled_total\{grpc_service="users\.v1\.UsersService",grpc_method="ListUsers",grpc_type="unary",grpc_code="OK"\} [1-9]/,
        );
    }
  });

  test("the gateway serves HTTP, upstream and process metrics without a token", async () => {
    const response = await fetch(`${system.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/users\/",status="200"\} [1-9]/);
    expect(text).toContain(
      'grpc_client_handling_seconds_count{grpc_service="users.v1.UsersService",grpc_method="ListUsers",grpc_code="OK"}',
    );
    expect(text).toContain("process_resident_memory_bytes");
  });
});

describe("logs", () => {
  test("passwords, tokens and Authorization headers never reach a log line, even at trace level", async () => {
    // A failed login, a bad token, and authorised calls: every path that handles a secret.
    await fetch(`${system.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: `${ADMIN_PASSWORD}-wrong` }),
    });
    await fetch(`${system.url}/users/1`, { headers: { authorization: `Bearer ${accessToken}x` } });
    await fetch(`${system.url}/users/`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "L", email: "logs@example.com" }),
    });
    await Bun.sleep(200);
    expect(lines.length).toBeGreaterThan(20);
    const [, payload, signature] = accessToken.split(".");
    for (const { component, line } of lines) {
      for (const secret of [ADMIN_PASSWORD, payload!, signature!, "Bearer "]) {
        if (line.includes(secret)) throw new Error(`${component} logged a secret: ${line}`);
      }
    }
    // Every process logs structured JSON lines.
    expect(lines.filter(({ line }) => line.startsWith("{")).length).toBe(lines.length);
  });
});
