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
import { schedulesModule } from "./modules/schedules";
import { usersModule } from "./modules/users";
import { docs } from "./plugins/docs";
import gatewayPackage from "../package.json" with { type: "json" };
import { jsonBody } from "./plugins/jsonBody";
import { httpMetrics } from "./plugins/metrics";
import { problems } from "./plugins/problems";
import { requestContext } from "./plugins/requestContext";
import { securityHeaders } from "./plugins/securityHeaders";
import { tracing } from "./plugins/tracing";
import type { Upstreams } from "./upstream";

export interface AppDependencies {
  config: Readonly<GatewayConfig>;
  logger: Logger;
  upstreams: Upstreams;
  lifecycle?: Lifecycle;
}

export function createApp({ config, logger, upstreams, lifecycle = { draining: false } }: AppDependencies) {
  // normalize off: unknown body fields are rejected (422), never silently dropped.
  const app = new Elysia({ normalize: false })
    .use(tracing())
    .use(requestContext({ logger, replicaId: config.GATEWAY_REPLICA_ID }))
    .use(securityHeaders())
    .use(
      config.CORS_ALLOWED_ORIGINS.length > 0
        ? cors({
            origin: [...config.CORS_ALLOWED_ORIGINS],
            allowedHeaders: ["authorization", "content-type", "x-request-id"],
            exposeHeaders: ["x-request-id"],
            maxAge: 600,
          })
        : new Elysia(),
    )
    .use(httpMetrics())
    .use(problems({ logger }))
    .use(jsonBody({ maxBytes: config.MAX_BODY_BYTES }))
    .use(docs({ version: API_VERSION }))
    .use(
      healthModule({
        upstreams,
        lifecycle,
        timeoutMs: config.READINESS_TIMEOUT_MS,
        replicaId: config.GATEWAY_REPLICA_ID,
      }),
    )
    .use(loginModule(config, upstreams, logger))
    .use(usersModule(config, upstreams))
    .use(jobsModule(config, upstreams))
    .use(pipelinesModule(config, upstreams))
    .use(schedulesModule(config, upstreams))
    .use(consoleModule(config, upstreams));
  return app;
}

/** The OpenAPI document's info.version: the gateway package's version (README, "Versioning"). */
export const API_VERSION: string = gatewayPackage.version;

export type App = ReturnType<typeof createApp>;
