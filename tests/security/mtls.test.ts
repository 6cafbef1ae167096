// Mutual TLS between the gateway and the services, as the prod overlay runs it:
// the whole system as real processes with certificates made by openssl for
// this run. Calls through the gateway work (gateway → users/jobs/pipelines,
// pipelines → jobs, worker → jobs), readiness checks over TLS, and each
// service refuses a client without a certificate, with one from another CA,
// or in plaintext. Half-set or unreadable TLS settings stop a process at start.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { checkHealth, createHealthClient } from "@platform/kit";
import { call, grpcError, eventually } from "@platform/kit/testing";
import { createTestCertificates, type TestCertificates } from "@platform/kit/testing/tls";
import { users } from "@platform/proto";
import { join } from "node:path";
import {
  type ComponentName,
  type RunningComponent,
  type RunningSystem,
  runUntilExit,
  type ServiceName,
  startGateway,
  startSystem,
  startWorker,
  TEST_ENV,
} from "@platform/harness";

// Real processes and TLS handshakes on a loaded 2-core machine need more than bun's 5 s default.
setDefaultTimeout(30_000);

const FAST = { JOBS_LEASE_SWEEP_MS: "200", JOBS_WATCH_POLL_MS: "200", PIPELINES_POLL_MS: "100" };
const SERVICES: ServiceName[] = ["users", "jobs", "pipelines"];

let certs: TestCertificates;
let system: RunningSystem;
let worker: RunningComponent | undefined;
let token: string;
const extra: RunningComponent[] = [];

beforeAll(async () => {
  certs = createTestCertificates();
  // Targets are 127.0.0.1:port, so every client names the server it expects (in k8s: the Service names in the certificate).
  system = await startSystem({
    env: { ...FAST, ...certs.env(certs.service, "localhost") },
    // Plaintext health-only ports, as the kubelet's gRPC probes need.
    serviceEnv: {
      users: { GRPC_HEALTH_PORT: "0" },
      jobs: { GRPC_HEALTH_PORT: "0" },
      pipelines: { GRPC_HEALTH_PORT: "0" },
    },
    gatewayEnv: certs.env(certs.client, "localhost"),
  });
  worker = await startWorker("worker", {
    ...certs.env(certs.service, "localhost"),
    JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
    WORKER_POLL_MS: "50",
    LOG_LEVEL: "warn",
  });
  const login = await fetch(`${system.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"username":"admin","password":"secret"}',
  });
  token = ((await login.json()) as { access_token: string }).access_token;
}, 60_000);
afterAll(async () => {
  await worker?.stop("SIGKILL");
  await Promise.all(extra.map((c) => c.stop("SIGKILL")));
  await system?.stop();
  certs?.remove();
});

const api = async (method: string, path: string, body?: unknown, url = system.url) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
};

describe("with mutual TLS on", () => {
  test("every service says it serves mutual TLS, and the gateway that it dials with it", () => {
    for (const name of SERVICES)
      expect(
        system.services[name].recentLines.some(
          (line) => line.includes('"msg":"gRPC server listening"') && line.includes('"tls":"mutual"'),
        ),
      ).toBe(true);
    expect(system.gateways[0]!.recentLines.some((line) => line.includes('"upstreamTls":"mutual"'))).toBe(true);
  });

  test("the gateway is ready: its health checks reach every service over TLS", async () => {
    const ready = await fetch(`${system.url}/health/dependencies`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { upstreams: unknown }).upstreams).toEqual({
      users: "SERVING",
      jobs: "SERVING",
      pipelines: "SERVING",
    });
  });

  test("calls through the gateway reach users and jobs", async () => {
    const created = await api("POST", "/users/", { name: "Tls User", email: "tls@example.com" });
    expect(created.status).toBe(201);
    expect((await api("GET", `/users/${created.body.id}`)).body.email).toBe("tls@example.com");
    const job = await api("POST", "/jobs/", { job_name: "over tls" });
    expect(job.status).toBe(201);
    expect((await api("GET", `/jobs/${job.body.id}`)).body.job_name).toBe("over tls");
  });

  test("a pipeline runs to SUCCEEDED: pipelines → jobs and worker → jobs are mutual TLS too", async () => {
    const created = await api("POST", "/pipelines/", {
      pipeline_name: "tls pipeline",
      steps: [{ name: "only", kind: "echo", payload: { over: "tls" } }],
    });
    expect(created.status).toBe(201);
    const done = await eventually(
      async () => {
        const { body } = await api("GET", `/pipelines/${created.body.id}`);
        return body.status === "SUCCEEDED" ? body : undefined;
      },
      20_000,
      "the pipeline to succeed",
    );
    expect((await api("GET", `/jobs/${done.steps[0].job_id}`)).body.result).toEqual({ over: "tls" });
  });

  describe.each(SERVICES)("the %s service", (name) => {
    const getUser = async (
      credentials: grpc.ChannelCredentials,
      options: grpc.ChannelOptions = { "grpc.ssl_target_name_override": "localhost" },
    ) => {
      // Any method will do: the connection is refused before a method is looked at.
      const client = new users.UsersService(`127.0.0.1:${system.services[name].port}`, credentials, options);
      try {
        return await call(client, "GetUser", { id: "1" });
      } finally {
        client.close();
      }
    };
    const files = async (which: TestCertificates["client"]) =>
      Promise.all([which.ca, which.key, which.cert].map((path) => Bun.file(path).bytes().then(Buffer.from)));

    test("refuses a client without a certificate", async () => {
      const [ca] = await files(certs.client);
      expect((await grpcError(getUser(grpc.credentials.createSsl(ca!)))).code).toBe(grpc.status.UNAVAILABLE);
    });

    test("refuses a client whose certificate another CA signed", async () => {
      const [ca, key, cert] = await files(certs.foreign);
      expect((await grpcError(getUser(grpc.credentials.createSsl(ca!, key!, cert!)))).code).toBe(
        grpc.status.UNAVAILABLE,
      );
    });

    test("refuses a plaintext client", async () => {
      expect((await grpcError(getUser(grpc.credentials.createInsecure(), {}))).code).toBe(grpc.status.UNAVAILABLE);
    });

    test("answers a plaintext health probe on GRPC_HEALTH_PORT, which serves nothing else", async () => {
      const line = system.services[name].recentLines.find((l) => l.includes('"msg":"gRPC health listening"'));
      const port = (JSON.parse(line!) as { port: number }).port;
      const probe = createHealthClient(`127.0.0.1:${port}`, {}, null);
      const other = new users.UsersService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      try {
        expect(await checkHealth(probe, "", 2_000)).toBe("SERVING");
        expect((await grpcError(call(other, "GetUser", { id: "1" }))).code).toBe(grpc.status.UNIMPLEMENTED);
      } finally {
        probe.close();
        other.close();
      }
    });
  });

  test("a gateway without the TLS settings cannot reach the services: not ready, and calls are 503", async () => {
    const plain = await startGateway("gateway-plaintext", {
      ...TEST_ENV,
      USER_SERVICE_URL: `127.0.0.1:${system.services.users.port}`,
      JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
      PIPELINE_SERVICE_URL: `127.0.0.1:${system.services.pipelines.port}`,
    });
    extra.push(plain);
    const url = `http://127.0.0.1:${plain.port}`;
    const ready = await fetch(`${url}/health/dependencies`);
    expect(ready.status).toBe(503);
    const { upstreams } = (await ready.json()) as { upstreams: Record<string, string> };
    for (const name of SERVICES) expect(upstreams[name]).toStartWith("UNAVAILABLE");
    expect((await api("GET", "/users/1", undefined, url)).status).toBe(503);
  });
});

/** Starts `entry` with TEST_ENV plus `env` and waits for it to exit (it should, at once). */
const startExpectingFailure = (component: ComponentName, env: Record<string, string>) =>
  runUntilExit(component, { ...TEST_ENV, DATA_DIR: join(certs.dir, "data"), ...env });

describe("half-set or broken TLS settings stop a process at start", () => {
  test.each([["users"], ["pipelines"], ["gateway"], ["worker"]] as const)(
    "%s with only GRPC_TLS_CERT_FILE exits 1 naming the missing variables",
    async (component) => {
      const { code, stderr } = await startExpectingFailure(component, { GRPC_TLS_CERT_FILE: certs.service.cert });
      expect(code).toBe(1);
      expect(stderr).toContain("invalid configuration");
      expect(stderr).toContain("GRPC_TLS_CA_FILE: must be set too, since GRPC_TLS_CERT_FILE is");
      expect(stderr).toContain("GRPC_TLS_KEY_FILE: must be set too");
    },
  );

  test("a service whose key file cannot be read exits 1 naming the variable and path", async () => {
    const { code, stderr } = await startExpectingFailure("jobs", {
      ...certs.env(certs.service),
      GRPC_TLS_KEY_FILE: "/nonexistent/tls.key",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("GRPC_TLS_KEY_FILE: cannot read /nonexistent/tls.key");
  });

  test("the gateway with TLS and IP-address upstreams but no server name exits 1 naming GRPC_TLS_SERVER_NAME", async () => {
    const { code, stderr } = await startExpectingFailure("gateway", {
      ...certs.env(certs.client),
      USER_SERVICE_URL: "127.0.0.1:50051",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("GRPC_TLS_SERVER_NAME: must be set when a gRPC target is an IP address");
  });
});
