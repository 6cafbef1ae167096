// Gives every request an id (the caller's x-request-id when it is sane, else a
// new one), echoes it on the response, and logs one line per request.
import type { Logger } from "@platform/kit";
import { REQUEST_ID_HEADER } from "@platform/kit";
import { Elysia } from "elysia";
import { traceIdFor } from "./tracing";

/** Probes and scrapes come every few seconds: their lines go to debug, not info. */
const QUIET_PATHS = new Set(["/healthz", "/readyz", "/health/dependencies", "/metrics"]);

const ACCEPTABLE_REQUEST_ID = /^[\w.:@-]{1,128}$/;

export function requestIdOf(headers: Record<string, string | number | string[] | undefined>): string | undefined {
  const id = headers[REQUEST_ID_HEADER];
  return typeof id === "string" ? id : undefined;
}

export const requestContext = (options: { logger: Logger; replicaId: string }) =>
  new Elysia({ name: "request-context" })
    .onRequest(({ request, set }) => {
      const incoming = request.headers.get(REQUEST_ID_HEADER);
      set.headers[REQUEST_ID_HEADER] =
        incoming && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
      set.headers["x-served-by"] = options.replicaId;
      startTimes.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, set, path }) => {
      const started = startTimes.get(request);
      const status = typeof set.status === "number" ? set.status : 200;
      const level = QUIET_PATHS.has(path) && status < 500 ? "debug" : "info";
      // Below LOG_LEVEL: not even the line's fields are built.
      if (!options.logger.isLevelEnabled(level)) return;
      options.logger[level](
        {
          requestId: requestIdOf(set.headers),
          traceId: traceIdFor(request),
          method: request.method,
          path,
          status,
          ms: started === undefined ? undefined : Math.round((performance.now() - started) * 10) / 10,
        },
        "request served",
      );
    });

const startTimes = new WeakMap<Request, number>();

/** Gives route handlers the request id that requestContext assigned. */
export const withRequestId = new Elysia({ name: "request-id" }).resolve({ as: "scoped" }, ({ set }) => ({
  requestId: requestIdOf(set.headers) ?? crypto.randomUUID(),
}));
