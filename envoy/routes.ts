// The edge listener's routes: gRPC interop upstreams (tests), /metrics hidden,
// server-sent-event streams without a deadline, probes, then reads (retried on
// another replica) and writes (retried only when they never reached one).
import type { EdgeConfigOptions } from "./options";
import { duration, typed } from "./primitives";

export function routes(options: EdgeConfigOptions) {
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
      match: {
        safe_regex: { regex: "/.*/(watch|events)" },
        headers: [{ name: ":method", string_match: { exact: "GET" } }],
      },
      route: {
        cluster: "gateway",
        timeout: "0s",
        idle_timeout: "60s",
        retry_policy: { retry_on: "connect-failure", num_retries: 2, retry_back_off: backOff },
      },
    },
    {
      name: "probes",
      match: { safe_regex: { regex: "/(healthz|readyz|health/dependencies)" } },
      route: {
        cluster: "gateway",
        timeout: "3s",
        retry_policy: { retry_on: "connect-failure,reset", num_retries: 2, retry_back_off: backOff },
      },
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
          retry_host_predicate: [
            {
              name: "envoy.retry_host_predicates.previous_hosts",
              typed_config: typed("envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate", {}),
            },
          ],
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
          retry_host_predicate: [
            {
              name: "envoy.retry_host_predicates.previous_hosts",
              typed_config: typed("envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate", {}),
            },
          ],
          host_selection_retry_max_attempts: 3,
          retry_back_off: backOff,
        },
      },
    },
  ];
}
