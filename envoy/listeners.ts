// The two listeners: the public edge (HTTP connection manager with the access
// log, problem+json local replies, routes and filters) and the readiness one.
import { PROBLEM_CONTENT_TYPE, problemType } from "../gateway/src/edgeContract";
import { httpFilters } from "./filters";
import { READY_PATH, type EdgeConfigOptions } from "./options";
import { socketAddress, typed } from "./primitives";
import { routes } from "./routes";

/**
 * Errors Envoy answers itself get the gateway's problem+json shape, so clients
 * see one error format whoever answered. Titles and slugs match the gateway's
 * (tests compare an edge 413 with a gateway 413).
 */
function problemMappers(options: EdgeConfigOptions) {
  const mapper = (status: number, slug: string, title: string, detail: string, answeredAs = status) => ({
    filter: {
      status_code_filter: {
        comparison: { op: "EQ", value: { default_value: status, runtime_key: `edge.local_reply.${status}` } },
      },
    },
    ...(answeredAs === status ? {} : { status_code: answeredAs }),
    headers_to_add: [
      { append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "x-request-id", value: "%REQ(X-REQUEST-ID)%" } },
    ],
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

/**
 * Which requests the edge logs when `accessLog` is "failures": those that failed
 * (status 400 or above: whatever answered), were cut short (any response flag:
 * Envoy's own answers, upstream failures, resets, disconnects), and every gRPC
 * call (the services write no line per call). A successful API request is logged
 * by the gateway replica that served it ("request served", with the same
 * request_id), so it is written once, not twice. The threshold is a runtime key:
 * `curl -X POST 'localhost:9901/runtime_modify?edge.access_log.min_status=0'`
 * logs every request until Envoy restarts.
 */
const FAILURES_ONLY = {
  or_filter: {
    filters: [
      {
        status_code_filter: {
          comparison: { op: "GE", value: { default_value: 400, runtime_key: "edge.access_log.min_status" } },
        },
      },
      { response_flag_filter: {} },
      { header_filter: { header: { name: "content-type", string_match: { prefix: "application/grpc" } } } },
    ],
  },
};

/** One JSON object per request logged on stdout; no Authorization, no bodies. */
const accessLog = (options: EdgeConfigOptions) => [
  {
    name: "envoy.access_loggers.stdout",
    ...(options.accessLog === "failures" ? { filter: FAILURES_ONLY } : {}),
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

export function edgeListener(options: EdgeConfigOptions) {
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
              // An escaped slash or backslash (%2F, %5C) in the path is a 400: no route takes one, and
              // unescaped and redirected it named another resource (GET /schedules/%5C became the list).
              normalize_path: true,
              merge_slashes: true,
              path_with_escaped_slashes_action: "REJECT_REQUEST",
              request_headers_timeout: "10s",
              stream_idle_timeout: "60s",
              common_http_protocol_options: { idle_timeout: "300s", headers_with_underscores_action: "REJECT_REQUEST" },
              // Every method reaches the gateway, which knows its routes: a method a path
              // lacks is the gateway's 405 with Allow, the same through the edge as direct
              // (HTTP/1's codec would otherwise refuse QUERY and other extension methods with a bare 400).
              http_protocol_options: { allow_custom_methods: true },
              http2_protocol_options: {
                max_concurrent_streams: 100,
                initial_stream_window_size: 65_536,
                initial_connection_window_size: 1_048_576,
              },
              access_log: accessLog(options),
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
export function readyListener(options: EdgeConfigOptions) {
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
                virtual_hosts: [
                  {
                    name: "ready",
                    domains: ["*"],
                    routes: [{ match: { prefix: "/" }, direct_response: { status: 404 } }],
                  },
                ],
              },
              http_filters: [
                {
                  name: "envoy.filters.http.health_check",
                  typed_config: typed("envoy.extensions.filters.http.health_check.v3.HealthCheck", {
                    pass_through_mode: false,
                    headers: [{ name: ":path", string_match: { exact: READY_PATH } }],
                  }),
                },
                {
                  name: "envoy.filters.http.router",
                  typed_config: typed("envoy.extensions.filters.http.router.v3.Router", {}),
                },
              ],
            }),
          },
        ],
      },
    ],
  };
}
