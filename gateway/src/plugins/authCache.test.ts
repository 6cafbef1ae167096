// The verified-token cache: it saves repeated verification, and never lets a
// token through that full verification would refuse (expired, tampered, forged).
import { beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createStubbedGateway, TEST_SECRET, type StubbedGateway } from "../testing";
import { VerifiedTokenCache } from "../security/verifiedTokenCache";

const now = () => Math.floor(Date.now() / 1000);
const key = (secret = TEST_SECRET) => new TextEncoder().encode(secret);
const sign = (claims: Record<string, unknown>, secret?: string) =>
  new SignJWT({ sub: "admin", iss: "api-gateway", aud: "microservices", roles: ["user"], ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(key(secret));

describe("VerifiedTokenCache", () => {
  const clock = { ms: 1_000_000_000_000 };
  const cache = (options: Partial<ConstructorParameters<typeof VerifiedTokenCache>[0]> = {}) =>
    new VerifiedTokenCache({ maxEntries: 3, maxAgeMs: 60_000, leewaySeconds: 0, now: () => clock.ms, ...options });
  const expIn = (seconds: number) => clock.ms / 1000 + seconds;

  test("a stored token is found by its exact string only", () => {
    const c = cache();
    c.set("a.b.c", { subject: "admin", roles: [] }, expIn(600));
    expect(c.get("a.b.c")).toEqual({ subject: "admin", roles: [] });
    expect(c.get("a.b.d")).toBeUndefined();
    expect(c.get("a.b.c ")).toBeUndefined();
  });

  test("an entry lapses at exp (plus the verifier's leeway), not a millisecond later", () => {
    const c = cache({ leewaySeconds: 30 });
    c.set("t", { subject: "admin", roles: [] }, expIn(10));
    clock.ms += 39_999;
    expect(c.get("t")).toEqual({ subject: "admin", roles: [] });
    clock.ms += 1;
    expect(c.get("t")).toBeUndefined();
    expect(c.size).toBe(0);
  });

  test("an entry lapses after maxAge even when exp is far away", () => {
    const c = cache({ maxAgeMs: 5_000 });
    c.set("t", { subject: "admin", roles: [] }, expIn(3600));
    clock.ms += 5_000;
    expect(c.get("t")).toBeUndefined();
  });

  test("an already expired token is not stored", () => {
    const c = cache();
    c.set("t", { subject: "admin", roles: [] }, expIn(-1));
    expect(c.size).toBe(0);
  });

  test("bounded: the least recently used entry goes first", () => {
    const c = cache({ maxEntries: 2 });
    c.set("a", { subject: "a", roles: [] }, expIn(600));
    c.set("b", { subject: "b", roles: [] }, expIn(600));
    c.get("a");
    c.set("c", { subject: "c", roles: [] }, expIn(600));
    expect(c.size).toBe(2);
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toEqual({ subject: "a", roles: [] });
    expect(c.get("c")).toEqual({ subject: "c", roles: [] });
  });

  test("oversized tokens are never stored", () => {
    const c = cache();
    c.set("x".repeat(5000), { subject: "admin", roles: [] }, expIn(600));
    expect(c.size).toBe(0);
  });
});

describe("bearer authentication with the cache on", () => {
  let gw: StubbedGateway;
  beforeAll(async () => {
    gw = createStubbedGateway({ JWT_CLOCK_SKEW_SECONDS: "0" });
  });

  const status = async (token: string) => (await gw.req("GET", "/jobs/", { token })).status;

  test("a token accepted (and cached) a moment ago is refused once it expires", async () => {
    const token = await sign({ exp: now() + 2 });
    expect(await status(token)).toBe(200);
    expect(await status(token)).toBe(200);
    await Bun.sleep((now() + 2) * 1000 - Date.now() + 50);
    expect(await status(token)).toBe(401);
  });

  test("a cached token with its payload tampered is refused", async () => {
    const token = await sign({ exp: now() + 600 });
    expect(await status(token)).toBe(200);
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(
      JSON.stringify({ sub: "root", iss: "api-gateway", aud: "microservices", exp: now() + 600 }),
    ).toString("base64url");
    expect(await status(`${header}.${payload}.${signature}`)).toBe(401);
    expect(await status(token)).toBe(200);
  });

  test("a cached token with its signature changed is refused", async () => {
    const token = await sign({ exp: now() + 600 });
    expect(await status(token)).toBe(200);
    const last = token.at(-2) === "A" ? "B" : "A";
    expect(await status(`${token.slice(0, -2)}${last}${token.at(-1)}`)).toBe(401);
  });

  test("the same claims signed with another secret are refused while the genuine token is cached", async () => {
    const exp = now() + 600;
    expect(await status(await sign({ exp }))).toBe(200);
    expect(await status(await sign({ exp }, "another-secret-another-secret-another-secret"))).toBe(401);
  });

  test("a refused token stays refused (failures are not cached as successes)", async () => {
    const expired = await sign({ exp: now() - 10 });
    expect(await status(expired)).toBe(401);
    expect(await status(expired)).toBe(401);
  });
});
