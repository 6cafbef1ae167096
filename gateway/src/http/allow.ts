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

/** How loosely a route matches: 0 for a static path, more per parameter, most for a wildcard. */
const looseness = (path: string) =>
  path.split("/").reduce((sum, segment) => sum + (segment === "*" ? 100 : segment.startsWith(":") ? 1 : 0), 0);

/**
 * The route table as matchers; build it once per table (the app's routes are fixed once it serves).
 * A path belongs to its most specific routes: /jobs/retry is POST /jobs/retry's, not GET /jobs/{id}'s.
 */
export function methodTable(routes: readonly RouteEntry[]): (path: string) => string[] {
  const entries = routes
    .filter((route) => route.method !== "ALL" && route.method !== "WS")
    .map((route) => ({
      method: route.method.toUpperCase(),
      match: matcher(route.path),
      looseness: looseness(route.path),
    }));
  return (path) => {
    const matching = entries.filter((entry) => entry.match.test(path));
    const tightest = Math.min(...matching.map((entry) => entry.looseness));
    const methods = new Set<string>();
    for (const entry of matching) if (entry.looseness === tightest) methods.add(entry.method);
    // Bun answers HEAD for every GET route.
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}
