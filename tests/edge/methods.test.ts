// Methods a path does not have: the gateway answers 405 problem+json with Allow,
// and Envoy passes every method through, so TRACE, QUERY, DELETE, … get the same
// answer at the edge as at a gateway directly. Requests are written on a raw
// socket: fetch refuses TRACE.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type RunningEnvoy, type RunningSystem, startSystem } from "@platform/harness";
import { envoyBinary, startTestEnvoy, SUITE_SETUP_TIMEOUT_MS } from "./support";

let system: RunningSystem;
let envoy: RunningEnvoy;

beforeAll(async () => {
  envoyBinary();
  system = await startSystem({ gateways: 1 });
  envoy = await startTestEnvoy(system.gateways);
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([envoy, system].filter(Boolean).map((c) => c.stop("SIGKILL")));
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request on its own connection, whatever the method. */
async function raw(port: number, method: string, path: string): Promise<RawAnswer> {
  const chunks: Uint8Array[] = [];
  const { promise: closed, resolve } = Promise.withResolvers<void>();
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: { data: (_s, data) => void chunks.push(data), close: () => resolve(), error: () => resolve() },
  });
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  await closed;
  const text = Buffer.concat(chunks).toString("utf8");
  const [head = "", ...rest] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

const CASES: [method: string, path: string, allow: string][] = [
  ["TRACE", "/users/", "GET, HEAD, POST"],
  ["QUERY", "/users/", "GET, HEAD, POST"],
  ["TRACE", "/jobs/7", "GET, HEAD"],
  ["QUERY", "/jobs/7", "GET, HEAD"],
  ["DELETE", "/pipelines/7", "GET, HEAD"],
  ["PUT", "/login", "POST"],
  ["GET", "/jobs/7/cancel", "POST"],
];

describe("a method the path does not have", () => {
  for (const [method, path, allow] of CASES)
    test(`${method} ${path}: 405 with Allow: ${allow}, at the gateway and through Envoy alike`, async () => {
      const direct = await raw(system.gateways[0]!.port, method, path);
      const edge = await raw(envoy.port, method, path);
      for (const answer of [direct, edge]) {
        expect(answer.status).toBe(405);
        expect(answer.headers.allow).toBe(allow);
        expect(answer.headers["content-type"]).toBe("application/problem+json");
        expect(answer.body).toContain('"type":"urn:problem-type:method-not-allowed"');
      }
    });

  test("an unknown path is 404 either way, whatever the method", async () => {
    for (const method of ["TRACE", "QUERY", "DELETE"]) {
      expect((await raw(system.gateways[0]!.port, method, "/no/such/path")).status).toBe(404);
      expect((await raw(envoy.port, method, "/no/such/path")).status).toBe(404);
    }
  });
});
