// Who may do what. Tokens carry the caller's roles; the rules live here, in one
// place, and modules ask them before calling a service.
import { LOWERCASE_ROLES, type LowercaseRole } from "@platform/proto/enums";
import { HttpProblem } from "../http/problem";
import { pathId } from "../http/wire";

// admin: everything but the worker protocol; user: their own jobs and pipelines;
// worker: the worker protocol (claim, heartbeat, complete, fail) and nothing else.
// The roles are the contract's (users.proto's Role), lowercased.
export const ROLES = LOWERCASE_ROLES;
export type Role = LowercaseRole;

export interface Principal {
  /** The token's `sub`: a username. */
  subject: string;
  roles: readonly Role[];
  /** The users-service id behind the subject, when there is one (`uid` claim). */
  userId?: number;
}

/** The principal a verified token's claims describe; unknown roles are ignored. */
export function principalFromClaims(claims: { sub: string; roles?: unknown; uid?: unknown }): Principal {
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r))
    : [];
  const userId = typeof claims.uid === "number" && Number.isSafeInteger(claims.uid) ? claims.uid : undefined;
  return { subject: claims.sub, roles, ...(userId === undefined ? {} : { userId }) };
}

const forbidden = (detail: string) => new HttpProblem(403, "forbidden", detail);

export function requireRole(principal: Principal, role: Role): void {
  if (!principal.roles.includes(role)) throw forbidden(`this needs the ${role} role`);
}

/**
 * Which jobs and pipelines the caller may see, list and cancel, as the services'
 * `owner` condition: "" (everyone's) for an admin, the caller's own subject for
 * a user; a caller with neither role (a worker) gets 403. Another owner's
 * resource then reads as 404 (the services' rule): its id reveals nothing.
 */
export function ownerScope(principal: Principal): string {
  if (principal.roles.includes("admin")) return "";
  if (principal.roles.includes("user")) return principal.subject;
  throw forbidden("this needs the user or admin role");
}

/** What a call on one owned resource sends: its id from the path, and the caller's owner scope. */
export function ownedById(principal: Principal, rawId: string): { id: string; owner: string } {
  return { id: String(pathId(rawId)), owner: ownerScope(principal) };
}

/** The owner a new job or pipeline gets: the caller's subject (admin or user only). */
export function newOwner(principal: Principal): string {
  ownerScope(principal);
  return principal.subject;
}

/**
 * The worker protocol needs the worker role. Admins do not get it implicitly:
 * completing a job is a capability of whoever runs it, and an admin token lives
 * in consoles and scripts; run workers under worker accounts instead.
 */
export function requireWorker(principal: Principal): void {
  requireRole(principal, "worker");
}

/** Admins read every user; anyone else only their own record. */
export function requireUserAccess(principal: Principal, userId: number): void {
  if (principal.roles.includes("admin") || principal.userId === userId) return;
  throw forbidden("you may read only your own user record");
}
