// Who is calling: the socket's peer, or, when that peer is a trusted proxy
// (Envoy), the address the proxies recorded in X-Forwarded-For. Forwarded
// entries from anyone else are ignored, and never more hops than configured are
// believed, or any client could pick its own address.
import type { Server } from "bun";
import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface ProxyTrust {
  /** Proxies in front whose X-Forwarded-For entries count (0: the socket peer is the client). */
  hops: number;
  /** Only a socket peer in one of these CIDR ranges is a proxy. */
  proxies: readonly string[];
}

export function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.1, as dual-stack sockets report) compares as IPv4. */
function parseAddress(value: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(value)) return null;
  const address = ipaddr.parse(value);
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

const parsedRanges = new Map<readonly string[], Range[]>();

function rangesOf(proxies: readonly string[]): Range[] {
  let ranges = parsedRanges.get(proxies);
  if (!ranges) {
    ranges = proxies.map((cidr) => ipaddr.parseCIDR(cidr));
    parsedRanges.set(proxies, ranges);
  }
  return ranges;
}

export function isTrustedProxy(peer: string, proxies: readonly string[]): boolean {
  const address = parseAddress(peer);
  if (!address) return false;
  return rangesOf(proxies).some(
    ([base, bits]) => address.kind() === base.kind() && address.match([base, bits] as never),
  );
}

export function clientAddress(request: Request, server: Server<unknown> | null, trust: ProxyTrust): string {
  const peer = server?.requestIP(request)?.address ?? "unknown";
  if (trust.hops > 0 && isTrustedProxy(peer, trust.proxies)) {
    const forwarded = (request.headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    // Each trusted proxy appended the address it saw; the one before them is the client.
    const candidate = forwarded[forwarded.length - trust.hops];
    if (candidate) return candidate;
  }
  return peer;
}
