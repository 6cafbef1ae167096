// The one Envoy edge configuration, rendered for two targets:
//   local: gateway replicas are a STATIC list of 127.0.0.1 ports (bun run dev, tests);
//   k8s:   gateway pods found through a headless Service (STRICT_DNS), jwt_authn on.
// Everything that is not an address or a target switch is shared, so the two
// renderings cannot drift. `bun envoy/render.ts --target k8s` writes the
// committed k8s/base/envoy/envoy.yaml; a test checks it equals a fresh render.
//
// The parts: options.ts (options, defaults, defaultsFor), listeners.ts,
// filters.ts, routes.ts, clusters.ts (the builders), primitives.ts.
import { gatewayCluster, grpcCluster } from "./clusters";
import { edgeListener, readyListener } from "./listeners";
import type { EdgeConfigOptions } from "./options";
import { socketAddress, typed } from "./primitives";

export * from "./options";

/** The Envoy bootstrap as a plain object. */
export function buildEdgeConfig(options: EdgeConfigOptions): Record<string, unknown> {
  if (options.gateway.kind === "static" && options.gateway.addresses.length === 0 && !options.grpcUpstreams?.length) {
    throw new Error("the local rendering needs at least one gateway address");
  }
  return {
    admin: { address: socketAddress("127.0.0.1", options.adminPort) },
    // The runtime keys in the rendering (edge.access_log.min_status, the local-reply and
    // retry keys) take their defaults; the admin layer lets an operator on the pod change
    // one until Envoy restarts (POST /runtime_modify on the loopback-only admin port).
    layered_runtime: { layers: [{ name: "admin", admin_layer: {} }] },
    static_resources: {
      listeners: [edgeListener(options), readyListener(options)],
      clusters: [gatewayCluster(options), ...(options.grpcUpstreams ?? []).map(grpcCluster)],
    },
    overload_manager: {
      resource_monitors: [
        {
          name: "envoy.resource_monitors.global_downstream_max_connections",
          typed_config: typed(
            "envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig",
            {
              max_active_downstream_connections: 10_000,
            },
          ),
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
  // Through JSON first: builders share small objects (retry back-off), which YAML would
  // print as anchors and aliases whose layout shifted with unrelated source changes.
  const plain = JSON.parse(JSON.stringify(buildEdgeConfig(options)));
  return `${header}\n${Bun.YAML.stringify(plain, null, 2)}\n`;
}
