// Whole-system fixture: the gateway app over real gRPC services started in this process
// on ephemeral ports. Requests go through app.handle: no HTTP port is opened.
import { openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, type Backend } from "@platform/kit/testing/db";
import { startJobsServer } from "../../services/jobs/src/server";
import { startPipelinesServer } from "../../services/pipelines/src/server";
import { startUsersServer } from "../../services/users/src/server";
import { createApp, type App } from "../../gateway/src/app";
import { loadGatewayConfig, type GatewayConfig } from "../../gateway/src/config";
import type { Lifecycle } from "../../gateway/src/modules/health";
import { createUpstreams, type Upstreams } from "../../gateway/src/upstream";
import type { Role } from "../../gateway/src/security/authorization";
import { type Requester, requester, TEST_SECRET } from "../../gateway/src/testing";
import { responseChecker } from "./openapiConformance";

export { TEST_SECRET };

export interface GatewayFixture {
  app: App;
  config: Readonly<GatewayConfig>;
  lifecycle: Lifecycle;
  servers: Record<"users" | "jobs" | "pipelines", RunningGrpcServer>;
  upstreams: Upstreams;
  req: Requester;
  login(): Promise<string>;
  /** A new users-service account with these roles, created by the admin and logged in: its token and subject (`sub`). */
  account(roles: Role[]): Promise<{ token: string; subject: string }>;
  close(): Promise<void>;
}

/** Fresh databases of `backend` for each service (SQLite files by default). */
export async function startGatewayFixture(
  env: Record<string, string> = {},
  backend: Backend = "sqlite",
): Promise<GatewayFixture> {
  const logger = quietLogger();
  const open = async (service: string) =>
    openDatabase(service, { url: await createTestDatabaseUrl(backend), dataDir: "", poolSize: 8 });
  const dbs: Db[] = await Promise.all(["users", "jobs", "pipelines"].map(open));
  const [usersDb, jobsDb, pipelinesDb] = dbs as [Db, Db, Db];
  const fast = { JOBS_RETRY_BACKOFF_MS: 20, JOBS_LEASE_SWEEP_MS: 100, JOBS_WATCH_POLL_MS: 200 };
  const [users, jobs] = await Promise.all([
    startUsersServer(TEST_SERVER_CONFIG, logger, usersDb),
    startJobsServer({ ...TEST_SERVER_CONFIG, ...fast }, logger, jobsDb),
  ]);
  const pipelines = await startPipelinesServer(
    { ...TEST_SERVER_CONFIG, JOBS_SERVICE_URL: `127.0.0.1:${jobs.port}`, PIPELINES_POLL_MS: 100 },
    logger,
    pipelinesDb,
  );
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

  // Every response is checked against the app's own OpenAPI document (openapiConformance.ts).
  const plain = requester(app);
  const checker = responseChecker(await (await plain("GET", "/openapi.json")).json());
  const req: Requester = async (method, path, options) => {
    const response = await plain(method, path, options);
    const problems = await checker.check(method, path, response);
    if (problems.length > 0) throw new Error(`the response contradicts the OpenAPI document: ${problems.join("; ")}`);
    return response;
  };

  const login = async (username: string, password: string) => {
    const response = await req("POST", "/login", { body: { username, password } });
    if (response.status !== 200) throw new Error(`login as ${username}: ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  let accounts = 0;

  return {
    app,
    config,
    lifecycle,
    servers: { users, jobs, pipelines },
    upstreams,
    req,
    login: () => login("admin", "secret"),
    async account(roles) {
      const subject = `${roles.join("-")}-${++accounts}-${crypto.randomUUID().slice(0, 8)}@example.com`;
      const password = "correct horse battery staple";
      const created = await req("POST", "/users/", {
        token: await login("admin", "secret"),
        body: { name: subject, email: subject, password, roles },
      });
      if (created.status !== 201) throw new Error(`creating ${subject}: ${created.status} ${await created.text()}`);
      return { token: await login(subject, password), subject };
    },
    async close() {
      for (const upstream of Object.values(upstreams)) upstream.close();
      await pipelines.shutdown();
      await Promise.all([users.shutdown(), jobs.shutdown()]);
      await Promise.all(dbs.map((db) => db.close()));
    },
  };
}
