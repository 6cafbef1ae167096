// Upstream failures seen from the HTTP side: a service that is down is a 503
// (and the gateway stays up), a service that is too slow is a 504.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startGrpcServer, type RunningGrpcServer } from "@platform/kit";
import { quietLogger } from "@platform/kit/testing";
import { SERVICE_NAMES, users } from "@platform/proto";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

let gw: GatewayFixture;
let token: string;
let slowUsers: RunningGrpcServer;

beforeAll(async () => {
  const logger = quietLogger();
  const hang = () => new Promise(() => {});
  slowUsers = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs: 100,
    logger,
    services: [
      {
        name: SERVICE_NAMES.users,
        definition: users.UsersService.service,
        implementation: { GetUser: hang, CreateUser: hang, ListUsers: hang },
      },
    ],
  });
  gw = await startGatewayFixture({ UPSTREAM_TIMEOUT_MS: "1000", USER_SERVICE_URL: `127.0.0.1:${slowUsers.port}` });
  token = await gw.login();
});
afterAll(async () => {
  await gw.close();
  await slowUsers.shutdown();
});

const problemOf = async (response: Response): Promise<Record<string, unknown>> => ({
  ...((await response.json()) as Record<string, unknown>),
  status: response.status,
});

describe("upstream failures", () => {
  test("a service slower than the deadline is a 504, in about the deadline", async () => {
    const started = performance.now();
    const problem = await problemOf(await gw.req("GET", "/users/1", { token }));
    expect(problem).toMatchObject({
      status: 504,
      grpc_code: "DEADLINE_EXCEEDED",
      detail: "the users service did not answer in time",
    });
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  test("a service that is down is a 503 with Retry-After; the gateway and the other services keep working", async () => {
    await gw.servers.jobs.shutdown();
    const response = await gw.req("GET", "/jobs/1", { token });
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await problemOf(response)).toMatchObject({
      status: 503,
      grpc_code: "UNAVAILABLE",
      detail: "the jobs service is unavailable",
    });

    // Readiness is this replica's, not the services': it stays 200, so the kubelet and Envoy keep it in rotation.
    expect((await gw.req("GET", "/readyz")).status).toBe(200);
    const dependencies = await problemOf(await gw.req("GET", "/health/dependencies"));
    expect(dependencies.status).toBe(503);
    expect((dependencies.upstreams as Record<string, string>).pipelines).toBe("SERVING");
    expect((dependencies.upstreams as Record<string, string>).jobs).toStartWith("UNAVAILABLE");

    expect((await gw.req("POST", "/pipelines/", { token, body: { pipeline_name: "still fine" } })).status).toBe(201);
    expect((await gw.req("GET", "/healthz")).status).toBe(200);
  });
});
