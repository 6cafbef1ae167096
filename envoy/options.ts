// What an Envoy edge rendering is made from: the options each target takes, the
// shipped defaults (ports, probes, public paths) and `defaultsFor`, which builds
// a target's options from the edge settings (envoy/settings.ts). The builders
// that turn options into Envoy's bootstrap are in listeners.ts, filters.ts,
// routes.ts and clusters.ts; envoy/config.ts is the public entry.
import { DEFAULT_EDGE_SETTINGS, edgeRateLimit, type EdgeSettings } from "./settings";

export type EdgeTarget = "local" | "k8s";
export type EdgeAccessLog = "failures" | "all";

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Per-client limiting: one token bucket per client address (after the trusted
 * hops), and, where jwt_authn runs, one per token subject. Off (null) by default.
 */
export interface EdgeRateLimit {
  /** Sustained requests per second each client may make. */
  requestsPerSecond: number;
  /** Requests a client may make at once above that (the bucket's size). */
  burst: number;
  /** Buckets kept at once (least recently used are dropped beyond: those clients start afresh). */
  maxClients: number;
}

export interface HealthCheckSettings {
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

export interface JwtSettings {
  issuer: string;
  audience: string;
  /** Leeway for exp/nbf, as the gateway's JWT_CLOCK_SKEW_SECONDS. */
  clockSkewSeconds: number;
  /** Where the JWKS comes from: inline JSON (local tests) or a mounted file (k8s). */
  jwks: { inline: string } | { filename: string };
  /** Exact paths that need no token (the gateway's public routes). */
  publicPaths: readonly string[];
  /** Path prefixes that need no token (the web console's pages and assets), after `protectedPrefixes`. */
  publicPrefixes?: readonly string[];
  /** Prefixes inside a public prefix that still need a token (the console's own API). */
  protectedPrefixes?: readonly string[];
}

/** A gRPC service reached through the edge listener over HTTP/2 (the interop guard). */
export interface GrpcUpstream {
  name: string;
  /** Fully qualified gRPC service name, e.g. users.v1.UsersService. */
  service: string;
  addresses: readonly HostPort[];
}

export interface EdgeConfigOptions {
  target: EdgeTarget;
  /** Address the edge and readiness listeners bind (loopback locally, all interfaces in a pod). */
  listenAddress: string;
  listenPort: number;
  readyPort: number;
  adminPort: number;
  /** local: the replicas; k8s: one name that resolves to every gateway pod. */
  gateway: { kind: "static"; addresses: readonly HostPort[] } | { kind: "dns"; host: string; port: number };
  healthCheck: HealthCheckSettings;
  /** null: no edge rate limit (the default). */
  rateLimit: EdgeRateLimit | null;
  /** Proxies in front of Envoy whose X-Forwarded-For entry is the client's address (0: the socket peer). */
  trustedHops: number;
  /** "failures": failed and cut-short requests and gRPC calls (the gateway logs the rest); "all": every request. */
  accessLog: EdgeAccessLog;
  /** Bodies above this size are answered 413 at the edge (the gateway's MAX_BODY_BYTES). */
  maxRequestBytes: number;
  /** Whole-request deadline for API routes; above the gateway's 5 s upstream deadline so its 504 wins. */
  routeTimeoutMs: number;
  jwt?: JwtSettings;
  grpcUpstreams?: readonly GrpcUpstream[];
}

export const EDGE_PORT = 8080;
export const READY_PORT = 8081;
export const ADMIN_PORT = 9901;
/** Envoy's readiness endpoint for probes: reachable on the pod IP, unlike the loopback-only admin. */
export const READY_PATH = "/ready";

export const K8S_GATEWAY = { host: "api-gateway-headless.microservices.svc.cluster.local", port: 8000 } as const;
export const K8S_JWKS_FILE = "/etc/envoy/jwks/jwks.json";
/** The gateway's routes that need no bearer token. */
export const PUBLIC_PATHS = ["/login", "/", "/healthz", "/readyz", "/health/dependencies", "/ui"] as const;
/** The web console's pages and assets load before anyone signs in; its data comes from the API with a token. */
export const PUBLIC_PREFIXES = ["/ui/"] as const;
export const PROTECTED_PREFIXES = ["/ui/api/"] as const;

export const DEFAULT_HEALTH_CHECK: HealthCheckSettings = {
  intervalMs: 2_000,
  timeoutMs: 1_000,
  unhealthyThreshold: 2,
  healthyThreshold: 1,
};
/** The gateway's readiness: this process can serve (never a function of the services' health). */
export const GATEWAY_HEALTH_CHECK_PATH = "/readyz";
/** Matches the gateway's MAX_BODY_BYTES default. */
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
export const DEFAULT_ROUTE_TIMEOUT_MS = 10_000;

/**
 * The defaults of each target for the given edge settings (envoy/settings.ts:
 * the shipped defaults unless the caller read the environment); callers
 * override what they need (tests: ports, intervals).
 */
export function defaultsFor(
  target: EdgeTarget,
  settings: Readonly<EdgeSettings> = DEFAULT_EDGE_SETTINGS,
): EdgeConfigOptions {
  const shared = {
    target,
    listenPort: EDGE_PORT,
    readyPort: READY_PORT,
    adminPort: ADMIN_PORT,
    healthCheck: DEFAULT_HEALTH_CHECK,
    rateLimit: edgeRateLimit(settings),
    trustedHops: settings.EDGE_TRUSTED_HOPS,
    accessLog: settings.EDGE_ACCESS_LOG,
    maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
    routeTimeoutMs: DEFAULT_ROUTE_TIMEOUT_MS,
  };
  if (target === "k8s") {
    return {
      ...shared,
      listenAddress: "0.0.0.0",
      gateway: { kind: "dns", ...K8S_GATEWAY },
      jwt: {
        issuer: settings.JWT_ISSUER,
        audience: settings.JWT_AUDIENCE,
        clockSkewSeconds: settings.JWT_CLOCK_SKEW_SECONDS,
        jwks: { filename: K8S_JWKS_FILE },
        publicPaths: PUBLIC_PATHS,
        publicPrefixes: PUBLIC_PREFIXES,
        protectedPrefixes: PROTECTED_PREFIXES,
      },
    };
  }
  return {
    ...shared,
    listenAddress: "127.0.0.1",
    gateway: { kind: "static", addresses: [{ host: "127.0.0.1", port: 8000 }] },
  };
}

/** "127.0.0.1:8000" → { host, port }. */
export function parseHostPort(value: string): HostPort {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || !(port > 0 && port < 65536)) throw new Error(`not host:port: ${JSON.stringify(value)}`);
  return { host: match[1]!, port };
}
