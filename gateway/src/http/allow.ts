// 405 Method Not Allowed: which methods the app serves at a path, from its own
// route table, so a known path asked with another method names the ones it has.

export interface RouteEntry {
  method: string;
  path: string;
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/** "/jobs/:id/cancel" → /^\/jobs\/[^/]+\/cancel\/?$/; "/ui/*" matches anything below /ui/. */
function matcher(path: string): RegExp {
  const pattern = path
    .replace(/\/$/, "")
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment === "*" ? ".*" : escapeRegExp(segment)))
    .join("/");
  return new RegExp(`^${pattern}/?$`);
}

/** The route table as matchers; build it once per table (the app's routes are fixed once it serves). */
export function methodTable(routes: readonly RouteEntry[]): (path: string) => string[] {
  const entries = routes
    .filter((route) => route.method !== "ALL" && route.method !== "WS")
    .map((route) => ({ method: route.method.toUpperCase(), match: matcher(route.path) }));
  return (path) => {
    const methods = new Set<string>();
    for (const entry of entries) if (entry.match.test(path)) methods.add(entry.method);
    // Bun answers HEAD for every GET route.
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}
