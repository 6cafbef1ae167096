// The edge listener's HTTP filters, in order: per-client rate limits, jwt_authn
// (k8s), the body buffer (413 above the limit), the router.
import type { EdgeConfigOptions, EdgeRateLimit } from "./options";
import { percent100, typed } from "./primitives";

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
      response_headers_to_add: [
        { append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "retry-after", value: "1" } },
      ],
    }),
  };
}

export function httpFilters(options: EdgeConfigOptions) {
  const filters: object[] = [];
  if (options.rateLimit) {
    // First, so rejected floods cost no token verification and no buffering. The
    // address is the client's as the connection manager settled it (use_remote_address,
    // xff_num_trusted_hops), so a client cannot choose it.
    filters.push(
      perClientRateLimit("edge_rate_limit_per_address", options.rateLimit, "remote_address", { remote_address: {} }),
    );
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
          ...(jwt.protectedPrefixes ?? []).map((prefix) => ({
            match: { prefix },
            requires: { provider_name: "gateway" },
          })),
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
            metadata_key: {
              key: "envoy.filters.http.jwt_authn",
              path: [{ key: JWT_PAYLOAD_METADATA }, { key: "sub" }],
            },
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
      typed_config: typed("envoy.extensions.filters.http.buffer.v3.Buffer", {
        max_request_bytes: options.maxRequestBytes,
      }),
    },
    {
      name: "envoy.filters.http.router",
      typed_config: typed("envoy.extensions.filters.http.router.v3.Router", { suppress_envoy_headers: true }),
    },
  );
  return filters;
}
