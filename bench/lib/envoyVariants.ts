// The edge's cost, filter by filter: the shipped local rendering of envoy/config.ts
// (what `bun run dev` runs) and variants of it with one part taken out (the buffer
// filter, the local-reply mappers, those and the access log; everything but a listener, the router and a
// plain cluster) or put in (every request in the access log, a local rate limit that never refuses,
// jwt_authn as the k8s rendering has it), and the shipped one with a second worker thread and in front of
// one replica only. Each variant is a real Envoy of its
// own in front of the same gateway replicas, measured interleaved with the others; all but the two-worker one run
// the shipped worker count (ENVOY_WORKERS, what `bun run dev` and the k8s deployment pass as --concurrency).
import { localEdgeOptions, startEnvoy, type RunningEnvoy } from "@platform/harness";
import { buildEdgeConfig, defaultsFor, type EdgeConfigOptions } from "../../envoy/config";
import { jwksFor } from "../../envoy/jwks";
import { ENVOY_WORKERS } from "../../envoy/settings";
import { BENCH_JWT_SECRET } from "./system";

export interface EnvoyVariant {
  id: string;
  label: string;
  /** Worker threads; unset: the shipped ENVOY_WORKERS. */
  concurrency?: number;
  options?: (o: EdgeConfigOptions) => EdgeConfigOptions;
  /** Edits the rendered bootstrap's HTTP connection manager (and, where it must, the rest of it). */
  edit?: (hcm: Record<string, any>, config: Record<string, any>) => void;
}

const withoutFilter = (name: string) => (hcm: Record<string, any>) => {
  hcm.http_filters = (hcm.http_filters as { name: string }[]).filter((f) => f.name !== name);
};
const BUFFER = "envoy.filters.http.buffer";
const ROUTER = "envoy.filters.http.router";
const MINIMAL_HCM_KEYS = new Set(["@type", "stat_prefix", "codec_type", "route_config", "http_filters"]);
const MINIMAL_CLUSTER_KEYS = new Set(["name", "type", "load_assignment", "connect_timeout", "lb_policy"]);

export const ENVOY_VARIANTS: EnvoyVariant[] = [
  { id: "shipped", label: "shipped (dev rendering)" },
  { id: "no-buffer", label: "without the buffer filter", edit: withoutFilter(BUFFER) },
  {
    id: "access-log-all",
    label: "every request in the access log (EDGE_ACCESS_LOG=all)",
    options: (o) => ({ ...o, accessLog: "all" }),
  },
  {
    id: "no-local-reply",
    label: "without the local-reply mappers",
    edit: (h) => delete h.local_reply_config,
  },
  {
    id: "router-only",
    label: "router only (no buffer, access log, mappers)",
    edit: (h) => {
      withoutFilter(BUFFER)(h);
      delete h.access_log;
      delete h.local_reply_config;
    },
  },
  {
    id: "rate-limit",
    label: "with the local rate limit on (never refusing)",
    options: (o) => ({ ...o, rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000, maxClients: 10_000 } }),
  },
  {
    id: "jwt",
    label: "with jwt_authn (as the k8s rendering)",
    options: (o) => {
      const k8s = defaultsFor("k8s");
      return { ...o, jwt: { ...k8s.jwt!, jwks: { inline: jwksFor(BENCH_JWT_SECRET) } } };
    },
  },
  {
    // Envoy's own floor: what proxying costs before anything of ours is added.
    id: "minimal",
    label: "minimal: a listener, the router and a plain cluster (no filters, retries, health checks, limits)",
    edit: (h, config) => {
      for (const key of Object.keys(h)) if (!MINIMAL_HCM_KEYS.has(key)) delete h[key];
      h.http_filters = (h.http_filters as { name: string }[]).filter((f) => f.name === ROUTER);
      h.route_config = {
        name: "edge",
        virtual_hosts: [
          { name: "api", domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: "gateway" } }] },
        ],
      };
      const [cluster] = config.static_resources.clusters;
      for (const key of Object.keys(cluster)) if (!MINIMAL_CLUSTER_KEYS.has(key)) delete cluster[key];
    },
  },
  { id: "concurrency-2", label: "shipped, --concurrency 2 (a worker per core here)", concurrency: 2 },
  {
    // The direct path serves everything from one replica; this separates Envoy's own
    // cost from what splitting the load over two replicas costs the gateways.
    id: "one-replica",
    label: "shipped, in front of the first replica only",
    options: (o) =>
      o.gateway.kind === "static" ? { ...o, gateway: { ...o.gateway, addresses: o.gateway.addresses.slice(0, 1) } } : o,
  },
];

/** The variant's bootstrap, from the same options startEnvoy renders for `bun run dev`. */
export function variantConfig(variant: EnvoyVariant, gatewayAddresses: string[]): Record<string, any> {
  let options = localEdgeOptions({ gatewayAddresses, listenPort: 0, adminPort: 0, readyPort: 0 });
  if (variant.options) options = variant.options(options);
  const config = JSON.parse(JSON.stringify(buildEdgeConfig(options)));
  const edge = config.static_resources.listeners.find((l: { name: string }) => l.name === "edge");
  const hcm = edge.filter_chains[0].filters[0].typed_config;
  variant.edit?.(hcm, config);
  return config;
}

/** The variant's worker threads: its own, or the shipped ENVOY_WORKERS. */
export const variantWorkers = (variant: EnvoyVariant): number => variant.concurrency ?? ENVOY_WORKERS;

/** A real Envoy on the variant's bootstrap, started as `bun run dev` starts its own (harness's startEnvoy). */
export function startVariantEnvoy(variant: EnvoyVariant, gatewayAddresses: string[]): Promise<RunningEnvoy> {
  return startEnvoy({
    gatewayAddresses,
    bootstrap: variantConfig(variant, gatewayAddresses),
    concurrency: variantWorkers(variant),
    logLevel: "error",
  });
}

/** Upstream connections opened and requests sent to the gateway cluster so far (connection reuse). */
export async function upstreamReuse(adminUrl: string): Promise<{ connections: number; requests: number }> {
  const text = await fetch(`${adminUrl}/stats?filter=^cluster\\.gateway\\.upstream_(cx|rq)_total$`).then((r) =>
    r.text(),
  );
  const value = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? 0);
  return {
    connections: value("cluster.gateway.upstream_cx_total"),
    requests: value("cluster.gateway.upstream_rq_total"),
  };
}
