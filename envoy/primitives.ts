// Small shapes every builder of the Envoy bootstrap uses.
import type { HostPort } from "./options";

export const duration = (ms: number) => `${ms / 1000}s`;
export const socketAddress = (address: string, port: number) => ({ socket_address: { address, port_value: port } });
export const typed = (type: string, config: Record<string, unknown>) => ({
  "@type": `type.googleapis.com/${type}`,
  ...config,
});
export const percent100 = (runtimeKey: string) => ({
  runtime_key: runtimeKey,
  default_value: { numerator: 100, denominator: "HUNDRED" },
});

export const endpoints = (clusterName: string, addresses: readonly HostPort[]) => ({
  cluster_name: clusterName,
  endpoints: [{ lb_endpoints: addresses.map((a) => ({ endpoint: { address: socketAddress(a.host, a.port) } })) }],
});
