// Test fixture: the gateway app over stub upstreams (upstream/stub.ts). Requests
// go through app.handle: no port is opened, no service is started. Tests that
// need the real services live in tests/gateway/ (tests/support/gateway.ts).
import { quietLogger } from "@platform/kit/testing";
import { SignJWT } from "jose";
import { createApp, type App } from "./app";
import { loadGatewayConfig, type GatewayConfig } from "./config";
import type { Lifecycle } from "./modules/health";
import type { Role } from "./security/authorization";
import { grpcError, stubUpstreams, type StubHandlers, type StubUpstreams } from "./upstream/stub";
import * as grpc from "@grpc/grpc-js";
import type { jobs, pipelines, users } from "@platform/proto";

export const TEST_SECRET = "test-secret-that-is-long-enough-for-hs512-0123456789";

/** A request through the app; `token` adds the Bearer header, objects become JSON bodies. */
export type Requester = (
  method: string,
  path: string,
  options?: { body?: unknown; token?: string; headers?: Record<string, string> },
) => Promise<Response>;

/** Requests through `app.handle`: no HTTP port is opened. */
export function requester(app: App): Requester {
  return (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    return app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
  };
}

export interface StubbedGateway {
  app: App;
  config: Readonly<GatewayConfig>;
  lifecycle: Lifecycle;
  upstreams: StubUpstreams;
  req: Requester;
  /** The configured admin's token, through POST /login. */
  login(): Promise<string>;
  /** A token as the gateway would issue it after a login, for a user with these roles. */
  token(roles: Role[], claims?: { sub?: string; uid?: number }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Answers that let the common routes work: empty lists, and the shared login
 * throttle unreachable (so the replica's own counters count, deterministically).
 * A test overrides any of them through `handlers`.
 */
function defaultHandlers() {
  const unavailable = () => {
    throw grpcError(grpc.status.UNAVAILABLE, "stub: the shared throttle is not stubbed");
  };
  return {
    users: {
      ListUsers: () => ({ users: [], next_page_token: "" }),
      VerifyCredentials: () => ({ valid: false, user: null }),
      AdmitLogin: unavailable,
      RecordLoginResult: unavailable,
    } as StubHandlers<typeof users.UsersService.service>,
    jobs: { ListJobs: () => ({ jobs: [], next_page_token: "" }) } as StubHandlers<typeof jobs.JobsService.service>,
    pipelines: { ListPipelines: () => ({ pipelines: [], next_page_token: "" }) } as StubHandlers<
      typeof pipelines.PipelinesService.service
    >,
  };
}

export function createStubbedGateway(
  env: Record<string, string> = {},
  handlers: {
    users?: StubHandlers<typeof users.UsersService.service>;
    jobs?: StubHandlers<typeof jobs.JobsService.service>;
    pipelines?: StubHandlers<typeof pipelines.PipelinesService.service>;
  } = {},
): StubbedGateway {
  const defaults = defaultHandlers();
  const upstreams = stubUpstreams({
    users: { ...defaults.users, ...handlers.users },
    jobs: { ...defaults.jobs, ...handlers.jobs },
    pipelines: { ...defaults.pipelines, ...handlers.pipelines },
  });
  const config = loadGatewayConfig({
    JWT_SECRET_KEY: TEST_SECRET,
    USER_SERVICE_URL: "users.stub:50051",
    JOBS_SERVICE_URL: "jobs.stub:50052",
    PIPELINE_SERVICE_URL: "pipelines.stub:50053",
    GATEWAY_REPLICA_ID: "test-replica",
    ...env,
  });
  const lifecycle: Lifecycle = { draining: false };
  const app = createApp({ config, logger: quietLogger(), upstreams, lifecycle });

  const req = requester(app);
  let tokens = 0;

  return {
    app,
    config,
    lifecycle,
    upstreams,
    req,
    async login() {
      const response = await req("POST", "/login", {
        body: { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD },
      });
      if (response.status !== 200) throw new Error(`login as admin: ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    token(roles, claims = {}) {
      const n = ++tokens;
      const sub = claims.sub ?? `${roles.join("-") || "none"}-${n}@example.com`;
      return new SignJWT({
        sub,
        roles,
        ...(roles.includes("admin") && claims.uid === undefined ? {} : { uid: claims.uid ?? 1000 + n }),
      })
        .setProtectedHeader({ alg: config.JWT_ALGORITHM, typ: "JWT" })
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${config.JWT_EXPIRE_MINUTES}m`)
        .sign(new TextEncoder().encode(config.JWT_SECRET_KEY));
    },
    async close() {},
  };
}
