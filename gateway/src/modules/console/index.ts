// The web console at /ui: the app shell for every client-side route, its
// bundled assets, and the one stream the console needs beyond the public API
// (pipeline events). The shell alone gets a content security policy that lets
// the page load its own scripts and styles and call this origin; every other
// response keeps the API's `default-src 'none'`.
import { Elysia, t } from "elysia";
import { HttpProblem } from "../../http/problem";
import { AUTH, BY_ID, eventStream, moduleDoc, responses, UPSTREAM } from "../../http/responses";
import { idParams, int } from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import type { Upstreams } from "../../upstream";
import { ASSET_PREFIX, consoleBundle, type ConsoleBundle } from "./assets";
import { Pipeline } from "../pipelines";
import { pipelineEventsResponse } from "../pipelines/events";
import { httpTrafficTotals } from "../../plugins/metrics";
import { requireRole } from "../../security/authorization";

const count = t.Number({ minimum: 0 });
const Traffic = t.Object({
  replica: t.String(),
  at: int({ description: "When, in milliseconds since the epoch." }),
  http: t.Object({
    requests: count,
    duration_seconds_sum: count,
    duration_seconds_count: count,
    duration_buckets: t.Array(t.Object({ le: t.Union([t.Number(), t.Null()]), count })),
  }),
});

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Hashed names never change content, so browsers may keep them. */
const IMMUTABLE = "public, max-age=31536000, immutable";

export interface ConsoleOptions {
  /** The built console; defaults to the process-wide build of gateway/console. */
  bundle?: () => Promise<ConsoleBundle>;
}

export const consoleModule = (
  config: TokenConfig & { GATEWAY_REPLICA_ID?: string },
  upstreams: Pick<Upstreams, "pipelines">,
  options: ConsoleOptions = {},
) => {
  const replicaId = config.GATEWAY_REPLICA_ID ?? "unknown";
  const bundle = options.bundle ?? consoleBundle;
  const shell = async ({ set }: { set: { headers: Record<string, unknown> } }) => {
    const { shell: html } = await bundle();
    set.headers["content-type"] = "text/html; charset=utf-8";
    set.headers["content-security-policy"] = CONSOLE_CSP;
    return html;
  };
  return (
    new Elysia({ name: "console" })
      .get("/ui", shell, { detail: { hide: true } })
      .get(
        `${ASSET_PREFIX}:file`,
        async ({ params, set }) => {
          const asset = (await bundle()).assets.get(params.file);
          if (!asset) throw new HttpProblem(404, "not-found", "no such console asset");
          set.headers["content-type"] = asset.contentType;
          set.headers["cache-control"] = IMMUTABLE;
          return asset.body;
        },
        { detail: { hide: true } },
      )
      // Client-side routes (/ui/jobs/7, …) get the shell; names with an extension are files that do not exist.
      .get(
        "/ui/*",
        async (context) => {
          const last = context.path.split("/").pop() ?? "";
          if (last.includes(".")) throw new HttpProblem(404, "not-found", "no such console file");
          return shell(context);
        },
        { detail: { hide: true } },
      )
      .use(
        new Elysia({ name: "console-events", prefix: "/ui/api" })
          .use(withRequestId)
          .use(auth(config))
          .guard(moduleDoc("ui", { bearer: true }))
          // Reachable through the edge the console is served from (Envoy keeps raw
          // /metrics for in-cluster scrapers only): this replica's traffic totals.
          .get(
            "/metrics",
            async ({ principal, set }) => {
              requireRole(principal, "admin");
              set.headers["cache-control"] = "no-store";
              return { replica: replicaId, at: Date.now(), http: await httpTrafficTotals() };
            },
            {
              response: responses({ 200: Traffic }, ...AUTH),
              detail: {
                summary: "This replica's HTTP traffic",
                description:
                  "Cumulative request count and latency histogram (admin only), for the console's system page; rates come from two samples.",
              },
            },
          )
          .get(
            "/pipelines/:id/events",
            // The same rules as GET /pipelines/{id}/watch: another owner's pipeline is a 404, workers get 403.
            ({ params, principal, requestId, set, request, server }) =>
              pipelineEventsResponse(upstreams, {
                id: params.id,
                principal,
                requestId,
                headers: set.headers as Record<string, string>,
                request,
                server,
              }),
            {
              params: idParams,
              response: responses(
                { 200: eventStream(Pipeline, "The pipeline now and on every step change.") },
                ...AUTH,
                ...BY_ID,
                ...UPSTREAM,
              ),
              detail: {
                summary: "Follow a pipeline",
                description: "Server-sent events: the pipeline now and on every step change, until it is final.",
              },
            },
          ),
      )
  );
};
