// The upstream clusters: the gateway replicas (health-checked, outlier
// ejection, circuit breakers) and, for tests, gRPC services over HTTP/2.
import { GATEWAY_HEALTH_CHECK_PATH, type EdgeConfigOptions, type GrpcUpstream } from "./options";
import { duration, endpoints, typed } from "./primitives";

export function gatewayCluster(options: EdgeConfigOptions) {
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
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        {
          common_http_protocol_options: { idle_timeout: "4s" },
          // Extension methods (QUERY, …) pass on to the gateway: see the listener.
          explicit_http_config: { http_protocol_options: { allow_custom_methods: true } },
        },
      ),
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

export function grpcCluster(upstream: GrpcUpstream) {
  return {
    name: `grpc_${upstream.name}`,
    type: "STATIC",
    connect_timeout: "1s",
    lb_policy: "ROUND_ROBIN",
    load_assignment: endpoints(`grpc_${upstream.name}`, upstream.addresses),
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        {
          explicit_http_config: { http2_protocol_options: {} },
        },
      ),
    },
  };
}
