// gRPC targets as grpc-js writes them, read into where connections go and the
// `:authority` calls carry.
import { isIP } from "node:net";

export type Endpoint = { host: string; port: number } | { path: string };

/** `host:port` (`[v6]:port`), or the socket's path: how an endpoint is named in logs and keys. */
export function endpointAddress(endpoint: Endpoint): string {
  if ("path" in endpoint) return endpoint.path;
  return isIP(endpoint.host) === 6 ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/** Where a target's connections go and the `:authority` its calls carry. */
export interface ParsedTarget {
  authority: string;
  /** The name a server certificate must carry (without GRPC_TLS_SERVER_NAME). */
  host: string;
  /** A DNS name to look up, or fixed endpoints. */
  dnsName?: string;
  port: number;
  endpoints: Endpoint[];
}

const DEFAULT_PORT = 443;
const HOST_PORT = /^(?:\[([0-9a-f:.]+)\]|([^:[\]/\s]+))(?::(\d{1,5}))?$/i;

function hostPort(text: string): { host: string; port: number } | undefined {
  const match = HOST_PORT.exec(text);
  if (!match) return undefined;
  const port = match[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  return port <= 65535 ? { host: (match[1] ?? match[2])!, port } : undefined;
}

/**
 * Reads a grpc-js target: `host:port`, `dns:///host:port`, `dns:host:port`,
 * `ipv4:a:p,b:p`, `ipv6:[a]:p,…`, `unix:/path`. Undefined for what it does not
 * take (a DNS server in the target, abstract sockets): grpc-js serves those.
 */
export function parseTarget(target: string): ParsedTarget | undefined {
  const unix = /^unix:(?:\/\/)?(.+)$/.exec(target);
  if (unix) return { authority: "localhost", host: "localhost", port: 0, endpoints: [{ path: unix[1]! }] };
  const list = /^(ipv4|ipv6):(.+)$/.exec(target);
  if (list) {
    const endpoints = list[2]!.split(",").map(hostPort);
    const family = list[1] === "ipv4" ? 4 : 6;
    if (endpoints.some((e) => !e || isIP(e.host) !== family)) return undefined;
    const first = endpoints[0]!;
    return {
      authority: list[2]!.split(",")[0]!,
      host: first.host,
      port: first.port,
      endpoints: endpoints as Endpoint[],
    };
  }
  if (/^dns:\/\/[^/]/.test(target)) return undefined; // names its own DNS server
  const named = hostPort(target.replace(/^dns:(?:\/\/\/)?/, ""));
  if (!named) return undefined;
  const authority = endpointAddress(named);
  if (isIP(named.host)) return { authority, host: named.host, port: named.port, endpoints: [named] };
  return { authority, host: named.host, dnsName: named.host, port: named.port, endpoints: [] };
}
