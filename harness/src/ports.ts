import { devConfigSchema } from "./devConfig";
/** A TCP port that was free a moment ago (for components whose port must be known in advance). */
export function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);
  return port;
}

/** Every port setting of `bun run dev` (harness/src/devConfig.ts) on a free port, so a test's supervisor clashes with nothing. */
export function freeDevPorts(): Record<string, string> {
  return Object.fromEntries(
    Object.keys(devConfigSchema.shape)
      .filter((key) => key.endsWith("_PORT"))
      .map((key) => [key, String(freePort())]),
  );
}
