// Whole-system fixture: the gateway app over real gRPC services started in this process
// on ephemeral ports. Requests go through app.handle: no HTTP port is opened. Tests call
// the API with the typed client (`api(token)`, @platform/client) and keep raw requests
// (`req`) for what the client cannot send: malformed bodies, wrong types, odd headers.
import { type Api, createApi, unwrap } from "@platform/client";
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
  /** The typed client over app.handle, sending `token` (none: anonymous). */
  api(token?: string): Api;
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

  // Every response, raw or through the typed client, is checked against the app's own OpenAPI document (openapiConformance.ts).
  const plain = requester(app);
  const checker = responseChecker(await (await plain("GET", "/openapi.json")).json());
  const checked = async (method: string, url: string, response: Response) => {
    const problems = await checker.check(method, url, response);
    if (problems.length > 0) throw new Error(`the response contradicts the OpenAPI document: ${problems.join("; ")}`);
    return response;
  };
  const req: Requester = async (method, path, options) => checked(method, path, await plain(method, path, options));
  const fetcher = (async (input, init) => {
    const request = new Request(input as string, init);
    const url = new URL(request.url);
    return checked(request.method, url.pathname + url.search, await app.handle(request));
  }) as typeof fetch;
  const api = (token?: string) => createApi({ baseUrl: "http://localhost", fetcher, ...(token ? { token } : {}) });

  const login = async (username: string, password: string) =>
    (await unwrap(api().login.post({ username, password }))).access_token;
  let accounts = 0;

  return {
    app,
    config,
    lifecycle,
    servers: { users, jobs, pipelines },
    upstreams,
    req,
    api,
    login: () => login("admin", "secret"),
    async account(roles) {
      const subject = `${roles.join("-")}-${++accounts}-${crypto.randomUUID().slice(0, 8)}@example.com`;
      const password = "correct horse battery staple";
      await unwrap(api(await login("admin", "secret")).users.post({ name: subject, email: subject, password, roles }));
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
