// What the gateway and the Envoy edge in front of it must agree on, in the one
// module envoy/ may import from gateway/ (docs/architecture.md): the problem+json
// error body's media type and type URIs, and the JWT claims both check.
import { z } from "zod";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** A problem type URI from a short slug, e.g. "validation-error". */
export const problemType = (slug: string) => `urn:problem-type:${slug}`;

/** The claims tokens carry and the leeway of their checks; Envoy's jwt_authn is rendered from the same (envoy/settings.ts). */
export const jwtClaimsConfigShape = {
  JWT_ISSUER: z.string().min(1).default("api-gateway"),
  JWT_AUDIENCE: z.string().min(1).default("microservices"),
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
};
