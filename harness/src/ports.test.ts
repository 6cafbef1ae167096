// Ports chosen in advance for `bun run dev` under test: distinct, bindable, and out of
// the kernel's ephemeral range (where the system's own port-0 listeners land).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { freeDevPorts, freePort } from "./ports";

const ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);

describe("freeDevPorts", () => {
  test("every port setting gets a port below the ephemeral range, none shared, the gateway replicas' included", () => {
    const ports = freeDevPorts();
    expect(Object.keys(ports)).toContain("GATEWAY_PORT");
    const gateway = Number(ports.GATEWAY_PORT);
    const others = Object.entries(ports)
      .filter(([key]) => key !== "GATEWAY_PORT")
      .map(([, port]) => Number(port));
    const all = [gateway, gateway + 1, gateway + 2, gateway + 3, ...others];
    expect(new Set(all).size).toBe(all.length);
    for (const port of all) expect(port).toBeLessThan(ephemeralLow);
  });

  test("a port it gives can be bound, and one taken is never given", () => {
    const taken = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const port = freePort(taken);
      expect(taken.has(port)).toBe(false);
      taken.add(port);
    }
    const port = freePort();
    const listener = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
    expect(listener.port).toBe(port);
    listener.stop(true);
  });
});
