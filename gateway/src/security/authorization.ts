// Who may do what. Tokens carry the caller's roles; the rules live here, in one
// place, and modules ask them before calling a service.
import { HttpProblem } from "../http/problem";

export const ROLES = ["admin", "user"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The token's `sub`: a username. */
  subject: string;
  roles: readonly Role[];
  /** The users-service id behind the subject, when there is one (`uid` claim). */
  userId?: number;
}

/** The principal a verified token's claims describe; unknown roles are ignored. */
export function principalFromClaims(claims: { sub: string; roles?: unknown; uid?: unknown }): Principal {
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
  const userId = typeof claims.uid === "number" && Number.isSafeInteger(claims.uid) ? claims.uid : undefined;
  return { subject: claims.sub, roles, ...(userId === undefined ? {} : { userId }) };
}

const forbidden = (detail: string) => new HttpProblem(403, "forbidden", detail);

export function requireRole(principal: Principal, role: Role): void {
  if (!principal.roles.includes(role)) throw forbidden(`this needs the ${role} role`);
}

/** Admins read every user; anyone else only their own record. */
export function requireUserAccess(principal: Principal, userId: number): void {
  if (principal.roles.includes("admin") || principal.userId === userId) return;
  throw forbidden("you may read only your own user record");
}
