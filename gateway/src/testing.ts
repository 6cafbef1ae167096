// Test fixture: the gateway app over real gRPC services started in this process
// on ephemeral ports. Requests go through app.handle: no HTTP port is opened.
import type { RunningGrpcServer } from "@platform/kit";
import { quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { startJobsServer } from "../../services/jobs/src/server";
import { startPipelinesServer } from "../../services/pipelines/src/server";
import { startUsersServer } from "../../services/users/src/server";
import { createApp, type App } from "./app";
import { loadGatewayConfig, type GatewayConfig } from "./config";
import type { Lifecycle } from "./modules/health";
import { createUpstreams, type Upstreams } from "./upstream";

export const TEST_SECRET = "test-secret-that-is-long-enough-for-hs512-0123456789";

export interface GatewayFixture {
  app: App;
  config: Readonly<GatewayConfig>;
  lifecycle: Lifecycle;
  servers: Record<"users" | "jobs" | "pipelines", RunningGrpcServer>;
  upstreams: Upstreams;
  /** A request through the app; `token` adds the Bearer header, objects become JSON bodies. */
  req(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Response>;
  login(): Promise<string>;
  close(): Promise<void>;
}

export async function startGatewayFixture(env: Record<string, string> = {}): Promise<GatewayFixture> {
  const logger = quietLogger();
  const [users, jobs, pipelines] = await Promise.all([
    startUsersServer(TEST_SERVER_CONFIG, logger),
    startJobsServer(TEST_SERVER_CONFIG, logger),
    startPipelinesServer(TEST_SERVER_CONFIG, logger),
  ]);
  const config = loadGatewayConfig({
    JWT_SECRET_KEY: TEST_SECRET,
    USER_SERVICE_URL: `127.0.0.1:${users.port}`,
    JOBS_SERVICE_URL: `127.0.0.1:${jobs.port}`,
    PIPELINE_SERVICE_URL: `127.0.0.1:${pipelines.port}`,
    GATEWAY_REPLICA_ID: "test-replica",
    ...env,
  });
  const upstreams = createUpstreams(config);
  const lifecycle: Lifecycle = { draining: false };
  const app = createApp({ config, logger, upstreams, lifecycle });

  const req: GatewayFixture["req"] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    return app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
  };

  return {
    app,
    config,
    lifecycle,
    servers: { users, jobs, pipelines },
    upstreams,
    req,
    async login() {
      const response = await req("POST", "/login", { body: { username: "admin", password: "secret" } });
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async close() {
      for (const upstream of Object.values(upstreams)) upstream.close();
      await Promise.all([users.shutdown(), jobs.shutdown(), pipelines.shutdown()]);
    },
  };
}
