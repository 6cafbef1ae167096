// GET / (status), /healthz (the process is alive), /readyz (this process can
// serve: started and not draining) and /health/dependencies (each upstream's
// own health and its circuit, for humans and dashboards).
//
// Readiness is never a function of the services' health: it drives the kubelet
// and Envoy, and one service down must cost only its own routes (their circuit
// answers a fast 503), not take every gateway replica out of rotation.
import { Elysia, t } from "elysia";
import { HttpProblem } from "../../http/problem";
import { moduleDoc, responses } from "../../http/responses";
import type { UpstreamClient, Upstreams } from "../../upstream";

export interface Lifecycle {
  /** Set on SIGTERM: readiness fails so the load balancer stops sending new requests. */
  draining: boolean;
}

export const DEPENDENCIES_PATH = "/health/dependencies";

const Dependencies = t.Object({
  status: t.Literal("ok"),
  upstreams: t.Record(t.String(), t.String({ description: "grpc.health.v1 state, or UNREACHABLE." })),
  circuits: t.Record(t.String(), t.UnionEnum(["closed", "open", "half-open"])),
});

export const healthModule = (options: {
  // biome-ignore lint/suspicious/noExplicitAny: any upstream's client, whatever its service definition
  upstreams: { readonly [name: string]: UpstreamClient<any> } | Upstreams;
  lifecycle: Lifecycle;
  timeoutMs: number;
  replicaId: string;
}) =>
  new Elysia({ name: "health" })
    .guard(moduleDoc("health", { bearer: false }))
    .get("/", () => ({ service: "api-gateway", status: "ok" as const, replica: options.replicaId }), {
      response: responses({
        200: t.Object({ service: t.String(), status: t.Literal("ok"), replica: t.String() }),
      }),
    })
    .get("/healthz", () => ({ status: "ok" as const }), {
      response: responses({ 200: t.Object({ status: t.Literal("ok") }) }),
    })
    .get(
      "/readyz",
      () => {
        if (options.lifecycle.draining) throw new HttpProblem(503, "not-ready", "the gateway is shutting down");
        return { status: "ready" as const, replica: options.replicaId };
      },
      { response: responses({ 200: t.Object({ status: t.Literal("ready"), replica: t.String() }) }, 503) },
    )
    .get(
      DEPENDENCIES_PATH,
      async () => {
        const entries = await Promise.all(
          Object.entries(options.upstreams).map(
            async ([name, upstream]) => [name, await upstream.checkHealth(options.timeoutMs)] as const,
          ),
        );
        const upstreams = Object.fromEntries(entries);
        const circuits = Object.fromEntries(
          Object.entries(options.upstreams).map(([name, upstream]) => [name, upstream.breaker.state]),
        );
        const down = entries.filter(([, status]) => status !== "SERVING").map(([name]) => name);
        if (down.length > 0) {
          throw new HttpProblem(
            503,
            "dependencies-unavailable",
            `not serving: ${down.join(", ")}; their routes answer 503, the rest keep working`,
            { upstreams, circuits },
          );
        }
        return { status: "ok" as const, upstreams, circuits };
      },
      {
        response: responses({ 200: Dependencies }, 503),
        detail: {
          summary: "Health of the services behind the gateway",
          description:
            "Each upstream's grpc.health.v1 status and circuit state; 503 while any is not SERVING. Not a readiness signal: see /readyz.",
        },
      },
    );
