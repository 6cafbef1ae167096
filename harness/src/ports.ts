import { readFileSync } from "node:fs";
import { devConfigSchema } from "./devConfig";

/**
 * The first port the kernel hands out for `port: 0` and outgoing connections (Linux's
 * ip_local_port_range); 32768, its default, elsewhere.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const FLOOR = 10_000;

const bindable = (port: number): boolean => {
  try {
    Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }).stop(true);
    return true;
  } catch {
    return false;
  }
};

/**
 * A TCP port that was free a moment ago (with the `count - 1` after it), for components whose port
 * must be known in advance. It is drawn below the kernel's ephemeral range, so the system's own
 * `port: 0` listeners and outgoing connections, which start in the meantime, cannot take it before
 * its component binds it.
 */
export function freePort(taken: ReadonlySet<number> = new Set(), count = 1): number {
  const span = ephemeralLow() - FLOOR - count;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FLOOR + Math.floor(Math.random() * span);
    const run = Array.from({ length: count }, (_, i) => port + i);
    if (run.every((p) => !taken.has(p) && bindable(p))) return port;
  }
  throw new Error(`no ${count} free port(s) found between ${FLOOR} and ${FLOOR + span}`);
}

/** Ports after GATEWAY_PORT that `bun run dev` gives its further gateway replicas (and a margin). */
const GATEWAY_REPLICA_PORTS = 4;

/** Every port setting of `bun run dev` (harness/src/devConfig.ts) on a free port, so a test's supervisor clashes with nothing. */
export function freeDevPorts(): Record<string, string> {
  const taken = new Set<number>();
  return Object.fromEntries(
    Object.keys(devConfigSchema.shape)
      .filter((key) => key.endsWith("_PORT"))
      .map((key) => {
        const count = key === "GATEWAY_PORT" ? GATEWAY_REPLICA_PORTS : 1;
        const port = freePort(taken, count);
        for (let i = 0; i < count; i++) taken.add(port + i);
        return [key, String(port)];
      }),
  );
}
