import {
  announce,
  collectProcessMetrics,
  createLogger,
  drainWithin,
  Lifecycle,
  loadGrpcTls,
  runProcess,
  startTracing,
} from "@platform/kit";
import { createApp } from "./app";
import { loadGatewayConfig } from "./config";
import type { Lifecycle as Readiness } from "./modules/health";
import { createUpstreams } from "./upstream";

await runProcess("gateway", async () => {
  const config = loadGatewayConfig();
  // Every upstream channel gets it.
  const tls = loadGrpcTls(config);
  const logger = createLogger("gateway", config.LOG_LEVEL);
  const tracing = await startTracing("api-gateway", config, logger);
  collectProcessMetrics();
  const upstreams = createUpstreams(config, tls, logger);
  const readiness: Readiness = { draining: false };
  const app = createApp({ config, logger, upstreams, lifecycle: readiness }).listen({
    hostname: config.HOST,
    port: config.PORT,
    // Bun's own backstop against memory exhaustion, far above MAX_BODY_BYTES so that
    // jsonBody answers ordinary oversized requests with a problem+json 413 first.
    maxRequestBodySize: Math.max(config.MAX_BODY_BYTES, 16 * 1024 * 1024),
    idleTimeout: config.HTTP_IDLE_TIMEOUT_SECONDS,
    // Elysia turns reusePort on; off, a second process on the same port fails loudly instead of sharing it.
    reusePort: false,
  });
  announce(
    logger,
    {
      port: app.server?.port,
      upstreams: Object.values(upstreams).map((u) => `${u.name}=${u.target}`),
      upstreamTls: tls ? "mutual" : "off",
    },
    "gateway listening",
  );

  const lifecycle = new Lifecycle(logger)
    .onStop("HTTP server", async () => {
      // 1. Fail readiness while still serving, so Envoy / the Service stop sending new requests.
      readiness.draining = true;
      if (config.SHUTDOWN_DELAY_MS > 0) {
        logger.info({ delayMs: config.SHUTDOWN_DELAY_MS }, "shutting down: failing readiness before draining");
        await Bun.sleep(config.SHUTDOWN_DELAY_MS);
      }
      // 2. Stop listening and let in-flight requests finish; the timeout is the backstop.
      logger.info({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutting down: draining in-flight requests");
      await drainWithin(
        config.SHUTDOWN_TIMEOUT_MS,
        () => app.stop(false),
        () => {
          logger.warn("drain timed out: closing remaining connections");
          return app.stop(true);
        },
      );
    })
    // 3. Only now close the upstream channels the drained requests were using, then flush spans.
    .onStop("upstreams", () => {
      for (const upstream of Object.values(upstreams)) upstream.close();
    })
    .onStop("tracing", () => tracing.shutdown())
    .onStop("log", () => logger.info("gateway stopped"));
  return { logger, stoppable: lifecycle };
});
