// The gateway: cross-cutting plugins first, then one module per resource.
import type { Logger } from "@platform/kit";
import { cors } from "@elysiajs/cors";
import { Elysia } from "elysia";
import type { GatewayConfig } from "./config";
import { consoleModule } from "./modules/console";
import { healthModule, type Lifecycle } from "./modules/health";
import { jobsModule } from "./modules/jobs";
import { loginModule } from "./modules/login";
import { pipelinesModule } from "./modules/pipelines";
import { usersModule } from "./modules/users";
import { jsonBody } from "./plugins/jsonBody";
import { problems } from "./plugins/problems";
import { requestContext } from "./plugins/requestContext";
import { securityHeaders } from "./plugins/securityHeaders";
import type { Upstreams } from "./upstream";

export interface AppDependencies {
  config: Readonly<GatewayConfig>;
  logger: Logger;
  upstreams: Upstreams;
  lifecycle?: Lifecycle;
}

export function createApp({ config, logger, upstreams, lifecycle = { draining: false } }: AppDependencies) {
  // normalize off: unknown body fields are rejected (422), never silently dropped.
  return new Elysia({ normalize: false })
    .use(requestContext({ logger, replicaId: config.GATEWAY_REPLICA_ID }))
    .use(securityHeaders())
    .use(config.CORS_ALLOWED_ORIGINS.length > 0 ? cors({ origin: [...config.CORS_ALLOWED_ORIGINS], allowedHeaders: ["authorization", "content-type", "x-request-id"], exposeHeaders: ["x-request-id"], maxAge: 600 }) : new Elysia())
    .use(problems({ logger }))
    .use(jsonBody({ maxBytes: config.MAX_BODY_BYTES }))
    .use(healthModule({ upstreams, lifecycle, timeoutMs: config.READINESS_TIMEOUT_MS, replicaId: config.GATEWAY_REPLICA_ID }))
    .use(loginModule(config))
    .use(usersModule(config, upstreams))
    .use(jobsModule(config, upstreams))
    .use(pipelinesModule(config, upstreams))
    .use(consoleModule(config, upstreams));
}

export type App = ReturnType<typeof createApp>;
