// Edge rate limits with the real Envoy: none by default (one client at benchmark
// concurrency is never refused), and, once an operator turns them on, a bucket
// per client address (one flooding client is refused, another is served) and per
// token subject where jwt_authn runs. Clients bind distinct loopback addresses
// (127.0.0.2, 127.0.0.3, …) through node:http's localAddress.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { request as httpRequest, Agent } from "node:http";
import { defaultsFor, PROTECTED_PREFIXES, PUBLIC_PATHS, PUBLIC_PREFIXES } from "../../envoy/config";
import { jwksFor } from "../../envoy/jwks";
import { edgeRateLimit, loadEdgeSettings } from "../../envoy/settings";
import { type RunningEnvoy, type RunningSystem, startSystem } from "@platform/harness";
import {
  envoyBinary,
  expectProblem,
  login,
  startTestEnvoy,
  SUITE_SETUP_TIMEOUT_MS,
  type JsonResponse,
} from "./support";

const SECRET = `edge-rate-limit-test-${crypto.randomUUID()}`;
const TEST_TIMEOUT_MS = 90_000;

let system: RunningSystem;
const envoys: RunningEnvoy[] = [];

beforeAll(async () => {
  envoyBinary();
  system = await startSystem({ gateways: 2, gatewayEnv: { JWT_SECRET_KEY: SECRET, LOG_LEVEL: "warn" } });
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([...envoys, system].filter(Boolean).map((c) => c.stop("SIGKILL")));
});

async function edge(options: Parameters<typeof startTestEnvoy>[1] = {}): Promise<RunningEnvoy> {
  const envoy = await startTestEnvoy(system.gateways, options);
  envoys.push(envoy);
  return envoy;
}

/** GET `url` from the local address `from` (a loopback alias), over a keep-alive agent. */
function getFrom(from: string, url: string, agent: Agent, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress: from, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        let body: any;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers))
          if (typeof value === "string") responseHeaders.set(key, value);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body, text });
      });
      res.on("error", reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`GET ${url} from ${from} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/** `total` GETs from `from` over `connections` keep-alive connections; the count of each status. */
async function load(
  from: string,
  url: string,
  total: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Map<number, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const statuses = new Map<number, number>();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < total) {
          next++;
          const { status } = await getFrom(from, url, agent, headers);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return statuses;
}

describe("the shipped defaults", () => {
  test("no edge rate limit in either rendering", () => {
    for (const target of ["local", "k8s"] as const) {
      expect(defaultsFor(target).rateLimit).toBeNull();
      expect(JSON.stringify(defaultsFor(target))).not.toContain("local_ratelimit");
    }
  });

  test(
    "one client at benchmark concurrency (3,000 requests over 64 connections) gets no 429",
    async () => {
      const envoy = await edge();
      const statuses = await load("127.0.0.2", `${envoy.url}/healthz`, 3_000, 64);
      expect(statuses.get(429)).toBeUndefined();
      expect(statuses.get(200)).toBe(3_000);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("per-client limits, turned on through the edge settings", () => {
  // The same variables `bun run dev` and `bun run envoy:render` read.
  const limit = edgeRateLimit(loadEdgeSettings({ EDGE_RATE_LIMIT_PER_CLIENT_RPS: "1", EDGE_RATE_LIMIT_BURST: "5" }));

  test("the settings make one bucket per client: rate, burst, and a bounded number of clients", () => {
    expect(limit).toEqual({ requestsPerSecond: 1, burst: 5, maxClients: 10_000 });
    expect(edgeRateLimit(loadEdgeSettings({ EDGE_RATE_LIMIT_PER_CLIENT_RPS: "100" }))).toEqual({
      requestsPerSecond: 100,
      burst: 200,
      maxClients: 10_000,
    });
    expect(() => loadEdgeSettings({ EDGE_RATE_LIMIT_PER_CLIENT_RPS: "-1" })).toThrow(/EDGE_RATE_LIMIT_PER_CLIENT_RPS/);
  });

  test(
    "a client flooding from 127.0.0.2 is refused (429 problem+json, Retry-After) while 127.0.0.3 is served",
    async () => {
      const envoy = await edge({ rateLimit: limit });
      const flood = await load("127.0.0.2", `${envoy.url}/healthz`, 40, 8);
      expect(flood.get(429) ?? 0).toBeGreaterThan(0);
      expect(flood.get(200) ?? 0).toBeGreaterThanOrEqual(5);

      const agent = new Agent({ keepAlive: true });
      try {
        const requestId = `edge-rate-${crypto.randomUUID()}`;
        const refused = await getFrom("127.0.0.2", `${envoy.url}/healthz`, agent, { "x-request-id": requestId });
        expectProblem(refused, 429, requestId);
        expect(refused.body.type).toBe("urn:problem-type:rate-limited");
        expect(refused.headers.get("retry-after")).toBe("1");
        expect(refused.headers.get("x-served-by")).toBeNull();

        // Another client has its own bucket: its whole burst is served.
        for (let i = 0; i < 5; i++)
          expect((await getFrom("127.0.0.3", `${envoy.url}/healthz`, agent)).status).toBe(200);
      } finally {
        agent.destroy();
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "with jwt_authn (the k8s rendering), a token's subject has its own bucket wherever it comes from",
    async () => {
      const envoy = await edge({
        rateLimit: limit,
        jwt: {
          issuer: "api-gateway",
          audience: "microservices",
          clockSkewSeconds: 30,
          jwks: { inline: jwksFor(SECRET) },
          publicPaths: PUBLIC_PATHS,
          publicPrefixes: PUBLIC_PREFIXES,
          protectedPrefixes: PROTECTED_PREFIXES,
        },
      });
      const token = await login(system.url);
      const auth = { authorization: `Bearer ${token}` };
      // Spread over many addresses, the subject's budget still runs out.
      const statuses = new Map<number, number>();
      const agent = new Agent({ keepAlive: false });
      try {
        for (let i = 0; i < 30; i++) {
          const { status } = await getFrom(`127.0.1.${10 + i}`, `${envoy.url}/jobs/`, agent, auth);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
        expect(statuses.get(429) ?? 0).toBeGreaterThan(0);
        // A request without a token from a fresh address is not that subject: served.
        expect((await getFrom("127.0.2.1", `${envoy.url}/healthz`, agent)).status).toBe(200);
      } finally {
        agent.destroy();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
