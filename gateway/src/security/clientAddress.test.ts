// The client address behind the login throttle: X-Forwarded-For counts only when
// the socket peer is a trusted proxy (TRUSTED_PROXIES), over real sockets.
import type { Server } from "bun";
import { afterAll, describe, expect, test } from "bun:test";
import { createStubbedGateway, type StubbedGateway } from "../testing";
import { clientAddress, isCidr } from "./clientAddress";

describe("clientAddress", () => {
  const request = (xff?: string) => new Request("http://x/", { headers: xff ? { "x-forwarded-for": xff } : {} });
  const peer = (address: string) =>
    ({
      requestIP: () => ({ address, family: address.includes(":") ? "IPv6" : "IPv4", port: 40000 }),
    }) as unknown as Server<unknown>;
  const loopback = ["127.0.0.0/8", "::1/128"];

  test("ignores X-Forwarded-For unless proxies are trusted", () => {
    expect(clientAddress(request("1.2.3.4"), null, { hops: 0, proxies: loopback })).toBe("unknown");
    expect(clientAddress(request("1.2.3.4"), peer("127.0.0.1"), { hops: 0, proxies: loopback })).toBe("127.0.0.1");
  });

  test("takes the entry the trusted proxy appended, not one the client forged", () => {
    expect(clientAddress(request("6.6.6.6, 1.2.3.4"), peer("127.0.0.1"), { hops: 1, proxies: loopback })).toBe(
      "1.2.3.4",
    );
    expect(clientAddress(request("6.6.6.6, 1.2.3.4, 10.0.0.2"), peer("::1"), { hops: 2, proxies: loopback })).toBe(
      "1.2.3.4",
    );
    // Dual-stack sockets report IPv4 peers as IPv4-mapped IPv6.
    expect(clientAddress(request("1.2.3.4"), peer("::ffff:127.0.0.1"), { hops: 1, proxies: loopback })).toBe("1.2.3.4");
  });

  test("a peer outside TRUSTED_PROXIES is taken at its socket address, whatever it forwards", () => {
    expect(clientAddress(request("1.2.3.4"), peer("203.0.113.9"), { hops: 1, proxies: loopback })).toBe("203.0.113.9");
    expect(clientAddress(request("1.2.3.4"), peer("10.1.2.3"), { hops: 1, proxies: ["10.0.0.0/8"] })).toBe("1.2.3.4");
    expect(clientAddress(request("1.2.3.4"), peer("2001:db8::1"), { hops: 1, proxies: ["10.0.0.0/8"] })).toBe(
      "2001:db8::1",
    );
    expect(clientAddress(request("1.2.3.4"), null, { hops: 1, proxies: loopback })).toBe("unknown");
  });

  test("isCidr accepts ranges of both families and refuses anything else", () => {
    for (const good of ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "fd00::/8"]) expect(isCidr(good)).toBe(true);
    for (const bad of ["127.0.0.1", "10.0.0.0/33", "loopback", ""]) expect(isCidr(bad)).toBe(false);
  });

  test("a malformed TRUSTED_PROXIES fails at start, naming the variable", async () => {
    expect(() => createStubbedGateway({ TRUSTED_PROXIES: "127.0.0.0/8,everyone" })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("the login throttle's per-address budget over a real socket", () => {
  const fixtures: StubbedGateway[] = [];
  afterAll(async () => {
    for (const gw of fixtures) {
      await gw.app.stop(true);
      await gw.close();
    }
  });

  /** The gateway listening on 127.0.0.1; the client (this test) is its socket peer 127.0.0.1. */
  async function listening(env: Record<string, string>) {
    const gw = await createStubbedGateway({ LOGIN_MAX_ATTEMPTS_PER_ADDRESS: "4", TRUSTED_PROXY_HOPS: "1", ...env });
    fixtures.push(gw);
    gw.app.listen({ hostname: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${gw.app.server!.port}`;
    return (username: string, password: string, forwardedFor: string) =>
      fetch(`${base}/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        body: JSON.stringify({ username, password }),
      });
  }

  test("from a trusted proxy, each forwarded client has its own budget", async () => {
    const login = await listening({ TRUSTED_PROXIES: "127.0.0.0/8,::1/128" });
    for (let i = 0; i < 4; i++) expect((await login(`user${i}`, "x", "192.0.2.1")).status).toBe(401);
    expect((await login("admin", "secret", "192.0.2.1")).status).toBe(429);
    expect((await login("admin", "secret", "192.0.2.2")).status).toBe(200);
  });

  test("from an untrusted peer, a spoofed X-Forwarded-For is ignored: every attempt counts against the real address", async () => {
    const login = await listening({ TRUSTED_PROXIES: "10.0.0.0/8" });
    // A new forged address on every attempt would be a fresh budget if forwarded entries were believed.
    for (let i = 0; i < 4; i++) expect((await login(`user${i}`, "x", `198.51.100.${i}`)).status).toBe(401);
    const refused = await login("admin", "secret", "198.51.100.200");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
