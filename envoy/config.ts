// The one Envoy edge configuration, rendered for two targets:
//   local: gateway replicas are a STATIC list of 127.0.0.1 ports (bun run dev, tests);
//   k8s:   gateway pods found through a headless Service (STRICT_DNS), jwt_authn on.
// Everything that is not an address or a target switch is shared, so the two
// renderings cannot drift. `bun envoy/render.ts --target k8s` writes the
// committed k8s/base/envoy/envoy.yaml; a test checks it equals a fresh render.
import { PROBLEM_CONTENT_TYPE, problemType } from "../gateway/src/edgeContract";
import { DEFAULT_EDGE_SETTINGS, edgeRateLimit, type EdgeSettings } from "./settings";

export type EdgeTarget = "local" | "k8s";

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

export const DEFAULT_HEALTH_CHECK: HealthCheckSettings = { intervalMs: 2_000, timeoutMs: 1_000, unhealthyThreshold: 2, healthyThreshold: 1 };
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
export function defaultsFor(target: EdgeTarget, settings: Readonly<EdgeSettings> = DEFAULT_EDGE_SETTINGS): EdgeConfigOptions {
  const shared = {
    target,
    listenPort: EDGE_PORT,
    readyPort: READY_PORT,
    adminPort: ADMIN_PORT,
    healthCheck: DEFAULT_HEALTH_CHECK,
    rateLimit: edgeRateLimit(settings),
    trustedHops: settings.EDGE_TRUSTED_HOPS,
    maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
    routeTimeoutMs: DEFAULT_ROUTE_TIMEOUT_MS,
  };
  if (target === "k8s") {
    return {
      ...shared,
      listenAddress: "0.0.0.0",
      gateway: { kind: "dns", ...K8S_GATEWAY },
      jwt: { issuer: settings.JWT_ISSUER, audience: settings.JWT_AUDIENCE, clockSkewSeconds: settings.JWT_CLOCK_SKEW_SECONDS, jwks: { filename: K8S_JWKS_FILE }, publicPaths: PUBLIC_PATHS, publicPrefixes: PUBLIC_PREFIXES, protectedPrefixes: PROTECTED_PREFIXES },
    };
  }
  return { ...shared, listenAddress: "127.0.0.1", gateway: { kind: "static", addresses: [{ host: "127.0.0.1", port: 8000 }] } };
}

/** "127.0.0.1:8000" → { host, port }. */
export function parseHostPort(value: string): HostPort {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || !(port > 0 && port < 65536)) throw new Error(`not host:port: ${JSON.stringify(value)}`);
  return { host: match[1]!, port };
}

const duration = (ms: number) => `${ms / 1000}s`;
const socketAddress = (address: string, port: number) => ({ socket_address: { address, port_value: port } });
const typed = (type: string, config: Record<string, unknown>) => ({ "@type": `type.googleapis.com/${type}`, ...config });
const percent100 = (runtimeKey: string) => ({ runtime_key: runtimeKey, default_value: { numerator: 100, denominator: "HUNDRED" } });

const endpoints = (clusterName: string, addresses: readonly HostPort[]) => ({
  cluster_name: clusterName,
  endpoints: [{ lb_endpoints: addresses.map((a) => ({ endpoint: { address: socketAddress(a.host, a.port) } })) }],
});

/**
 * Errors Envoy answers itself get the gateway's problem+json shape, so clients
 * see one error format whoever answered. Titles and slugs match the gateway's
 * (tests compare an edge 413 with a gateway 413).
 */
function problemMappers(options: EdgeConfigOptions) {
  const mapper = (status: number, slug: string, title: string, detail: string, answeredAs = status) => ({
    filter: { status_code_filter: { comparison: { op: "EQ", value: { default_value: status, runtime_key: `edge.local_reply.${status}` } } } },
    ...(answeredAs === status ? {} : { status_code: answeredAs }),
    headers_to_add: [{ append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "x-request-id", value: "%REQ(X-REQUEST-ID)%" } }],
    body_format_override: {
      json_format: { type: problemType(slug), title, status: answeredAs, detail, request_id: "%REQ(X-REQUEST-ID)%" },
      content_type: PROBLEM_CONTENT_TYPE,
    },
  });
  const badToken = "the bearer token is missing, invalid or expired";
  return [
    mapper(400, "bad-request", "Bad Request", "the request is malformed"),
    mapper(401, "unauthorized", "Unauthorized", badToken),
    // Only jwt_authn answers 403 here: a well-signed token for another audience.
    // The gateway answers such tokens 401, so the edge does too.
    mapper(403, "unauthorized", "Unauthorized", badToken, 401),
    mapper(404, "not-found", "Not Found", "no such route"),
    mapper(408, "request-timeout", "Request Timeout", "the request was not received in time"),
    mapper(413, "payload-too-large", "Payload Too Large", `the request body exceeds ${options.maxRequestBytes} bytes`),
    mapper(429, "rate-limited", "Too Many Requests", "too many requests at the edge; retry later"),
    mapper(431, "headers-too-large", "Request Header Fields Too Large", "the request headers are too large"),
    mapper(500, "internal-error", "Internal Server Error", "an internal error occurred at the edge"),
    mapper(502, "bad-gateway", "Bad Gateway", "the API gateway sent an invalid response"),
    mapper(503, "upstream-unavailable", "Service Unavailable", "no API gateway replica is available; retry later"),
    mapper(504, "upstream-timeout", "Gateway Timeout", "the API gateway did not answer in time"),
  ];
}

/** One JSON object per request on stdout; no Authorization, no bodies. */
const ACCESS_LOG = [
  {
    name: "envoy.access_loggers.stdout",
    typed_config: typed("envoy.extensions.access_loggers.stream.v3.StdoutAccessLog", {
      log_format: {
        json_format: {
          msg: "edge request",
          time: "%START_TIME%",
          request_id: "%REQ(X-REQUEST-ID)%",
          method: "%REQ(:METHOD)%",
          path: "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
          protocol: "%PROTOCOL%",
          status: "%RESPONSE_CODE%",
          flags: "%RESPONSE_FLAGS%",
          details: "%RESPONSE_CODE_DETAILS%",
          bytes_in: "%BYTES_RECEIVED%",
          bytes_out: "%BYTES_SENT%",
          ms: "%DURATION%",
          attempts: "%UPSTREAM_REQUEST_ATTEMPT_COUNT%",
          upstream: "%UPSTREAM_HOST%",
          served_by: "%RESP(X-SERVED-BY)%",
          client: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
          user_agent: "%REQ(USER-AGENT)%",
        },
      },
    }),
  },
];

/** Where jwt_authn leaves a verified token's claims (dynamic metadata: a client cannot forge it). */
const JWT_PAYLOAD_METADATA = "jwt_payload";

/**
 * One local_ratelimit filter with a bucket per distinct value of `descriptor`
 * (Envoy's dynamic descriptors: an entry with an empty value is a wildcard that
 * gets a bucket per value seen, up to max_dynamic_descriptors, least recently
 * used dropped). Requests without the descriptor pass: there is no shared bucket.
 */
function perClientRateLimit(name: string, limit: EdgeRateLimit, descriptorKey: string, action: object) {
  const bucket = { max_tokens: limit.burst, tokens_per_fill: limit.requestsPerSecond, fill_interval: "1s" };
  return {
    name,
    typed_config: typed("envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit", {
      stat_prefix: name.replace(/\W+/g, "_"),
      // No default bucket is consumed, so clients never share one.
      always_consume_default_token_bucket: false,
      max_dynamic_descriptors: limit.maxClients,
      rate_limits: [{ actions: [action] }],
      descriptors: [{ entries: [{ key: descriptorKey, value: "" }], token_bucket: bucket }],
      filter_enabled: percent100(`edge.rate_limit.${descriptorKey}.enabled`),
      filter_enforced: percent100(`edge.rate_limit.${descriptorKey}.enforced`),
      response_headers_to_add: [{ append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "retry-after", value: "1" } }],
    }),
  };
}

function httpFilters(options: EdgeConfigOptions) {
  const filters: object[] = [];
  if (options.rateLimit) {
    // First, so rejected floods cost no token verification and no buffering. The
    // address is the client's as the connection manager settled it (use_remote_address,
    // xff_num_trusted_hops), so a client cannot choose it.
    filters.push(perClientRateLimit("edge_rate_limit_per_address", options.rateLimit, "remote_address", { remote_address: {} }));
  }
  if (options.jwt) {
    const jwt = options.jwt;
    filters.push({
      name: "envoy.filters.http.jwt_authn",
      typed_config: typed("envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication", {
        providers: {
          gateway: {
            issuer: jwt.issuer,
            audiences: [jwt.audience],
            // The gateway verifies every token again (defence in depth): keep the header.
            forward: true,
            clock_skew_seconds: jwt.clockSkewSeconds,
            // The verified claims, for the per-subject rate limit below.
            payload_in_metadata: JWT_PAYLOAD_METADATA,
            local_jwks: "inline" in jwt.jwks ? { inline_string: jwt.jwks.inline } : { filename: jwt.jwks.filename },
          },
        },
        // First match wins: public paths (exact, after path normalisation) pass without a token.
        rules: [
          ...jwt.publicPaths.map((path) => ({ match: { path } })),
          ...(jwt.protectedPrefixes ?? []).map((prefix) => ({ match: { prefix }, requires: { provider_name: "gateway" } })),
          ...(jwt.publicPrefixes ?? []).map((prefix) => ({ match: { prefix } })),
          { match: { prefix: "/" }, requires: { provider_name: "gateway" } },
        ],
      }),
    });
    if (options.rateLimit) {
      // Authenticated requests also count against their token's subject, wherever
      // they come from (requests without a verified token carry no subject and pass).
      filters.push(
        perClientRateLimit("edge_rate_limit_per_subject", options.rateLimit, "subject", {
          metadata: {
            descriptor_key: "subject",
            metadata_key: { key: "envoy.filters.http.jwt_authn", path: [{ key: JWT_PAYLOAD_METADATA }, { key: "sub" }] },
            source: "DYNAMIC",
            skip_if_absent: true,
          },
        }),
      );
    }
  }
  filters.push(
    // Holds the whole body (bounded) before a gateway sees it; above the limit: 413.
    {
      name: "envoy.filters.http.buffer",
      typed_config: typed("envoy.extensions.filters.http.buffer.v3.Buffer", { max_request_bytes: options.maxRequestBytes }),
    },
    { name: "envoy.filters.http.router", typed_config: typed("envoy.extensions.filters.http.router.v3.Router", { suppress_envoy_headers: true }) },
  );
  return filters;
}

function routes(options: EdgeConfigOptions) {
  const timeout = duration(options.routeTimeoutMs);
  const backOff = { base_interval: "0.025s", max_interval: "0.25s" };
  const grpcRoutes = (options.grpcUpstreams ?? []).map((upstream) => ({
    name: `grpc_${upstream.name}`,
    match: { prefix: `/${upstream.service}/`, grpc: {} },
    // The caller's grpc-timeout is the deadline.
    route: { cluster: `grpc_${upstream.name}`, timeout: "0s", max_stream_duration: { grpc_timeout_header_max: "0s" } },
  }));
  return [
    ...grpcRoutes,
    {
      // Prometheus scrapes each gateway pod directly; the edge does not expose metrics.
      name: "internal",
      match: { safe_regex: { regex: "/metrics(/.*)?" } },
      direct_response: { status: 404 },
    },
    {
      // Server-sent events (a job's watch, a pipeline's events) stay open for as long
      // as the client follows them: no overall deadline, only an idle limit above the
      // streams' 15 s keep-alives.
      name: "streams",
      match: { safe_regex: { regex: "/.*/(watch|events)" }, headers: [{ name: ":method", string_match: { exact: "GET" } }] },
      route: { cluster: "gateway", timeout: "0s", idle_timeout: "60s", retry_policy: { retry_on: "connect-failure", num_retries: 2, retry_back_off: backOff } },
    },
    {
      name: "probes",
      match: { safe_regex: { regex: "/(healthz|readyz|health/dependencies)" } },
      route: { cluster: "gateway", timeout: "3s", retry_policy: { retry_on: "connect-failure,reset", num_retries: 2, retry_back_off: backOff } },
    },
    {
      // GET and HEAD are idempotent: a reset or a 503 from one replica is retried on another.
      name: "reads",
      match: { prefix: "/", headers: [{ name: ":method", string_match: { safe_regex: { regex: "GET|HEAD" } } }] },
      route: {
        cluster: "gateway",
        timeout,
        retry_policy: {
          retry_on: "connect-failure,reset,retriable-status-codes",
          retriable_status_codes: [503],
          num_retries: 2,
          per_try_timeout: duration(Math.ceil(options.routeTimeoutMs * 0.6)),
          retry_host_predicate: [{ name: "envoy.retry_host_predicates.previous_hosts", typed_config: typed("envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate", {}) }],
          host_selection_retry_max_attempts: 3,
          retry_back_off: backOff,
        },
      },
    },
    {
      // Anything else may have been processed once it reached a gateway: retry only
      // when it never did (the connection failed, or the stream was refused).
      name: "writes",
      match: { prefix: "/" },
      route: {
        cluster: "gateway",
        timeout,
        retry_policy: {
          retry_on: "connect-failure,refused-stream",
          num_retries: 2,
          retry_host_predicate: [{ name: "envoy.retry_host_predicates.previous_hosts", typed_config: typed("envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate", {}) }],
          host_selection_retry_max_attempts: 3,
          retry_back_off: backOff,
        },
      },
    },
  ];
}

function edgeListener(options: EdgeConfigOptions) {
  return {
    name: "edge",
    address: socketAddress(options.listenAddress, options.listenPort),
    per_connection_buffer_limit_bytes: 32_768,
    filter_chains: [
      {
        filters: [
          {
            name: "envoy.filters.network.http_connection_manager",
            typed_config: typed("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", {
              stat_prefix: "edge",
              codec_type: "AUTO",
              use_remote_address: true,
              // Load balancers in front of Envoy append to X-Forwarded-For; the entry
              // this many hops from the right is the client (rate limits, logs, the gateway).
              xff_num_trusted_hops: options.trustedHops,
              // x-request-id: the client's when it sends one, else made here. The gateway
              // echoes the id it used (it replaces ids it finds unsafe), so proxied
              // responses keep the gateway's header; Envoy's own replies get the
              // header from the local_reply mappers. (always_set_request_id_in_response
              // would overwrite the gateway's header and disagree with its body.)
              generate_request_id: true,
              preserve_external_request_id: true,
              // Normalised before routing and jwt_authn rules, so /x/../login cannot dodge either.
              normalize_path: true,
              merge_slashes: true,
              path_with_escaped_slashes_action: "UNESCAPE_AND_REDIRECT",
              request_headers_timeout: "10s",
              stream_idle_timeout: "60s",
              common_http_protocol_options: { idle_timeout: "300s", headers_with_underscores_action: "REJECT_REQUEST" },
              http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65_536, initial_connection_window_size: 1_048_576 },
              access_log: ACCESS_LOG,
              local_reply_config: { mappers: problemMappers(options) },
              route_config: {
                name: "edge",
                virtual_hosts: [{ name: "api", domains: ["*"], routes: routes(options) }],
              },
              http_filters: httpFilters(options),
            }),
          },
        ],
      },
    ],
  };
}

/**
 * Readiness for probes. The admin /ready is loopback-only, so a second listener
 * answers GET /ready on the pod IP: the health_check filter (pass_through_mode
 * false) says 200 while this Envoy is live and 503 once it is draining or
 * failed. Listeners only serve after Envoy finished initialising, so a 200 here
 * means the same as the admin's LIVE. Kept off the public listener: no rate
 * limit, no jwt, not reachable through the LoadBalancer Service (80 → 8080).
 */
function readyListener(options: EdgeConfigOptions) {
  return {
    name: "edge_ready",
    address: socketAddress(options.listenAddress, options.readyPort),
    filter_chains: [
      {
        filters: [
          {
            name: "envoy.filters.network.http_connection_manager",
            typed_config: typed("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", {
              stat_prefix: "edge_ready",
              codec_type: "AUTO",
              route_config: {
                name: "edge_ready",
                virtual_hosts: [{ name: "ready", domains: ["*"], routes: [{ match: { prefix: "/" }, direct_response: { status: 404 } }] }],
              },
              http_filters: [
                {
                  name: "envoy.filters.http.health_check",
                  typed_config: typed("envoy.extensions.filters.http.health_check.v3.HealthCheck", {
                    pass_through_mode: false,
                    headers: [{ name: ":path", string_match: { exact: READY_PATH } }],
                  }),
                },
                { name: "envoy.filters.http.router", typed_config: typed("envoy.extensions.filters.http.router.v3.Router", {}) },
              ],
            }),
          },
        ],
      },
    ],
  };
}

function gatewayCluster(options: EdgeConfigOptions) {
  const hc = options.healthCheck;
  const discovery =
    options.gateway.kind === "static"
      ? { type: "STATIC", load_assignment: endpoints("gateway", options.gateway.addresses) }
      : {
          // A headless Service name resolves to every ready pod, so Envoy balances
          // and health-checks pods itself (a ClusterIP would hide them behind one address).
          type: "STRICT_DNS",
          dns_lookup_family: "V4_ONLY",
          dns_refresh_rate: "5s",
          respect_dns_ttl: true,
          load_assignment: endpoints("gateway", [{ host: options.gateway.host, port: options.gateway.port }]),
        };
  return {
    name: "gateway",
    ...discovery,
    connect_timeout: "1s",
    lb_policy: "ROUND_ROBIN",
    per_connection_buffer_limit_bytes: 32_768,
    // Bun closes idle keep-alive connections after 10 s; closing ours first avoids
    // reusing a connection the gateway is closing (a reset a POST cannot retry).
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", {
        common_http_protocol_options: { idle_timeout: "4s" },
        explicit_http_config: { http_protocol_options: {} },
      }),
    },
    health_checks: [
      {
        timeout: duration(hc.timeoutMs),
        interval: duration(hc.intervalMs),
        // Keep checking at full rate while idle, so a returning replica is seen quickly.
        no_traffic_interval: duration(hc.intervalMs),
        unhealthy_threshold: hc.unhealthyThreshold,
        healthy_threshold: hc.healthyThreshold,
        http_health_check: { path: GATEWAY_HEALTH_CHECK_PATH },
        always_log_health_check_failures: false,
      },
    ],
    outlier_detection: {
      // Connection failures and timeouts eject a replica fast. 5xx answers the
      // gateway itself sends (a service behind every replica is down: its circuit
      // answers 503) say nothing about this replica, so they never eject it: one
      // service down must cost only its own routes.
      split_external_local_origin_errors: true,
      consecutive_local_origin_failure: 3,
      enforcing_consecutive_local_origin_failure: 100,
      consecutive_5xx: 10,
      enforcing_consecutive_5xx: 0,
      enforcing_consecutive_gateway_failure: 0,
      enforcing_success_rate: 0,
      interval: "5s",
      base_ejection_time: "10s",
      max_ejection_time: "60s",
      max_ejection_percent: 50,
    },
    circuit_breakers: {
      thresholds: [
        {
          priority: "DEFAULT",
          max_connections: 1024,
          max_pending_requests: 1024,
          max_requests: 1024,
          // Retries may add at most a quarter on top of live requests (but always 10).
          retry_budget: { budget_percent: { value: 25 }, min_retry_concurrency: 10 },
          track_remaining: true,
        },
      ],
    },
  };
}

function grpcCluster(upstream: GrpcUpstream) {
  return {
    name: `grpc_${upstream.name}`,
    type: "STATIC",
    connect_timeout: "1s",
    lb_policy: "ROUND_ROBIN",
    load_assignment: endpoints(`grpc_${upstream.name}`, upstream.addresses),
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", {
        explicit_http_config: { http2_protocol_options: {} },
      }),
    },
  };
}

/** The Envoy bootstrap as a plain object. */
export function buildEdgeConfig(options: EdgeConfigOptions): Record<string, unknown> {
  if (options.gateway.kind === "static" && options.gateway.addresses.length === 0 && !options.grpcUpstreams?.length) {
    throw new Error("the local rendering needs at least one gateway address");
  }
  return {
    admin: { address: socketAddress("127.0.0.1", options.adminPort) },
    static_resources: {
      listeners: [edgeListener(options), readyListener(options)],
      clusters: [gatewayCluster(options), ...(options.grpcUpstreams ?? []).map(grpcCluster)],
    },
    overload_manager: {
      resource_monitors: [
        {
          name: "envoy.resource_monitors.global_downstream_max_connections",
          typed_config: typed("envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig", {
            max_active_downstream_connections: 10_000,
          }),
        },
      ],
    },
  };
}

export function renderEdgeConfig(options: EdgeConfigOptions): string {
  const header = [
    "# Envoy edge configuration, rendered from envoy/config.ts. Do not edit by hand:",
    `# regenerate with \`bun envoy/render.ts --target ${options.target}\`.`,
  ].join("\n");
  return `${header}\n${Bun.YAML.stringify(buildEdgeConfig(options), null, 2)}\n`;
}
