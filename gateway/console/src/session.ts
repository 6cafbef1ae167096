// The signed-in session: the bearer token lives in this module's memory only
// (never localStorage or a cookie), so a reload or a new tab signs in again.
export interface Session {
  token: string;
  username: string;
  roles: string[];
}

let current: Session | null = null;
let notice = "";
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());

export const session = {
  get current(): Session | null {
    return current;
  },
  /** Why the last session ended, for the sign-in page. */
  get notice(): string {
    return notice;
  },
  signIn(token: string, expiresInSeconds: number): void {
    const claims = decodeClaims(token);
    current = {
      token,
      username: typeof claims.sub === "string" ? claims.sub : "",
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    };
    notice = "";
    clearTimeout(expiryTimer);
    // Sign out when the token runs out, rather than on the first failing call.
    if (expiresInSeconds > 0)
      expiryTimer = setTimeout(() => session.end("Your session expired. Sign in again."), expiresInSeconds * 1000);
    changed();
  },
  /** Forget the token; `why` is shown on the sign-in page. */
  end(why = ""): void {
    if (!current) return;
    current = null;
    notice = why;
    clearTimeout(expiryTimer);
    changed();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The token's claims, for display only: the gateway is what verifies it. */
function decodeClaims(token: string): Record<string, unknown> {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(
      part
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(part.length / 4) * 4, "="),
    );
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
