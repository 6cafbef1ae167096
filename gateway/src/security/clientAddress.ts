// Who is calling: the socket's peer, or, behind trusted proxies (Envoy), the
// address they recorded in X-Forwarded-For. Never trust more hops than configured,
// or any client could pick its own address.
import type { Server } from "bun";

export function clientAddress(request: Request, server: Server<unknown> | null, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const forwarded = (request.headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    // Each trusted proxy appended the address it saw; the one before them is the client.
    const candidate = forwarded[forwarded.length - trustedProxyHops];
    if (candidate) return candidate;
  }
  return server?.requestIP(request)?.address ?? "unknown";
}
