// GET / (status), /healthz (the process is alive), /readyz (it can serve: not
// draining, and every upstream answers its gRPC health check with SERVING).
import { Elysia } from "elysia";
import { HttpProblem } from "../../http/problem";
import type { Upstream } from "../../upstream";

export interface Lifecycle {
  /** Set on SIGTERM: readiness fails so the load balancer stops sending new requests. */
  draining: boolean;
}

export const healthModule = (options: { upstreams: Record<string, Upstream<any>>; lifecycle: Lifecycle; timeoutMs: number; replicaId: string }) =>
  new Elysia({ name: "health" })
    .get("/", () => ({ service: "api-gateway", status: "ok", replica: options.replicaId }))
    .get("/healthz", () => ({ status: "ok" }))
    .get("/readyz", async () => {
      const entries = await Promise.all(
        Object.entries(options.upstreams).map(async ([name, upstream]) => [name, await upstream.checkHealth(options.timeoutMs)] as const),
      );
      const upstreams = Object.fromEntries(entries);
      if (options.lifecycle.draining) throw new HttpProblem(503, "not-ready", "the gateway is shutting down", { upstreams });
      const down = entries.filter(([, status]) => status !== "SERVING").map(([name]) => name);
      if (down.length > 0) throw new HttpProblem(503, "not-ready", `not ready: ${down.join(", ")} not serving`, { upstreams });
      return { status: "ready", upstreams };
    });
