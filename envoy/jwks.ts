// The JWKS that lets Envoy's jwt_authn check the gateway's HS256/384/512 tokens:
// one `oct` key holding the shared secret. Operators create the k8s Secret
// `envoy-jwks` from its output (the secret is read from the environment or
// stdin, never from the command line, where `ps` would show it):
//
//   JWT_SECRET_KEY=... bun envoy/jwks.ts > jwks.json
//   kubectl -n microservices create secret generic envoy-jwks --from-file=jwks.json
export type HmacAlgorithm = "HS256" | "HS384" | "HS512";

export function jwksFor(secret: string, algorithm: HmacAlgorithm = "HS256"): string {
  if (!secret) throw new Error("the JWT secret is empty");
  const k = Buffer.from(secret, "utf8").toString("base64url");
  return JSON.stringify({ keys: [{ kty: "oct", alg: algorithm, use: "sig", k }] });
}

if (import.meta.main) {
  const algorithm = (process.env.JWT_ALGORITHM || "HS256") as HmacAlgorithm;
  if (!["HS256", "HS384", "HS512"].includes(algorithm)) {
    console.error(`JWT_ALGORITHM must be HS256, HS384 or HS512 (got ${algorithm})`);
    process.exit(2);
  }
  const secret =
    process.env.JWT_SECRET_KEY || (process.stdin.isTTY ? "" : (await Bun.stdin.text()).replace(/\r?\n$/, ""));
  if (!secret) {
    console.error("usage: JWT_SECRET_KEY=... bun envoy/jwks.ts   (or pipe the secret on stdin)");
    process.exit(2);
  }
  process.stdout.write(`${jwksFor(secret, algorithm)}\n`);
}
