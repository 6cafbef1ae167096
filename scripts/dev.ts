// `bun run dev`: the whole system on one machine, in the production topology:
// Envoy on 8080 in front of the gateway replicas (the first on 8000), the three
// services behind them. Prints one readable line per log entry with the
// component's name, and stops everything, front to back, on Ctrl-C/SIGTERM.
// Exits non-zero if a component fails to start or dies while running.
//
// Settings: GATEWAY_REPLICAS (2), GATEWAY_PORT (8000; replicas take the next
// ports), USERS_PORT, JOBS_PORT, PIPELINES_PORT (50051-50053), EDGE (true: run
// Envoy), EDGE_PORT (8080), EDGE_READY_PORT (8081), EDGE_ADMIN_PORT (9901),
// LOG_FORMAT (pretty | json).
import type { Subprocess } from "bun";
import { parseConfig } from "@platform/kit";
import { z } from "zod";
import { startGateway, startService, type ServiceName } from "./lib/components";
import { startEnvoy } from "./lib/envoy";
import { prettyLine } from "./lib/prettyLog";

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const config = parseConfig(
  z.object({
    GATEWAY_REPLICAS: z.coerce.number().int().min(1).max(16).default(2),
    GATEWAY_PORT: port(8000),
    USERS_PORT: port(50051),
    JOBS_PORT: port(50052),
    PIPELINES_PORT: port(50053),
    EDGE: z.stringbool().default(true),
    EDGE_PORT: port(8080),
    EDGE_READY_PORT: port(8081),
    EDGE_ADMIN_PORT: port(9901),
    LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
  }),
);

const SERVICES: Record<ServiceName, number> = { users: config.USERS_PORT, jobs: config.JOBS_PORT, pipelines: config.PIPELINES_PORT };
const gatewayNames = Array.from({ length: config.GATEWAY_REPLICAS }, (_, i) => `gateway-${i + 1}`);
const colour = process.stdout.isTTY === true;
const width = Math.max(...[...Object.keys(SERVICES), ...gatewayNames, "envoy"].map((n) => n.length));
const printer = (name: string) => (line: string) =>
  console.log(config.LOG_FORMAT === "json" ? line : prettyLine(`[${name.padEnd(width)}]`, line, colour));

/** Stopped in this order: the edge first, so nothing new arrives while the rest drain. */
const TIERS = ["edge", "gateway", "service"] as const;
interface Supervised {
  name: string;
  tier: (typeof TIERS)[number];
  process: Subprocess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running: Supervised[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  for (const tier of TIERS) await Promise.all(running.filter((c) => c.tier === tier).map((c) => c.stop("SIGTERM")));
  process.exit(code);
}

function supervise<T extends Omit<Supervised, "tier">>(tier: Supervised["tier"], component: T): T {
  running.push({ ...component, tier, stop: component.stop });
  void component.process.exited.then((exitCode) => {
    if (stopping) return;
    console.error(`dev: ${component.name} exited with code ${exitCode}; stopping everything`);
    void stopAll(1);
  });
  return component;
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

const started = performance.now();
try {
  await Promise.all(
    (Object.entries(SERVICES) as [ServiceName, number][]).map(async ([name, servicePort]) =>
      // The pipelines service submits its steps to the jobs service.
      supervise("service", await startService(name, { PORT: String(servicePort), JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}` }, printer(name))),
    ),
  );
  const gatewayEnv = {
    USER_SERVICE_URL: `127.0.0.1:${SERVICES.users}`,
    JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}`,
    PIPELINE_SERVICE_URL: `127.0.0.1:${SERVICES.pipelines}`,
    // Envoy appends the client's address to X-Forwarded-For; trust exactly that hop.
    TRUSTED_PROXY_HOPS: config.EDGE ? "1" : "0",
  };
  const gatewayPorts = gatewayNames.map((_, i) => config.GATEWAY_PORT + i);
  await Promise.all(
    gatewayNames.map(async (name, i) =>
      supervise("gateway", await startGateway(name, { ...gatewayEnv, PORT: String(gatewayPorts[i]), GATEWAY_REPLICA_ID: name }, printer(name))),
    ),
  );
  if (config.EDGE) {
    const envoy = await startEnvoy({
      gatewayAddresses: gatewayPorts.map((p) => `127.0.0.1:${p}`),
      listenPort: config.EDGE_PORT,
      readyPort: config.EDGE_READY_PORT,
      adminPort: config.EDGE_ADMIN_PORT,
      onLine: printer("envoy"),
    });
    supervise("edge", { name: "envoy", process: envoy.process, stop: envoy.stop });
  }
} catch (error) {
  console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

const gatewayRange = config.GATEWAY_REPLICAS > 1 ? `  (replicas on ${config.GATEWAY_PORT}-${config.GATEWAY_PORT + config.GATEWAY_REPLICAS - 1})` : "";
const entry = config.EDGE ? `http://localhost:${config.EDGE_PORT}` : `http://localhost:${config.GATEWAY_PORT}`;
console.log(`
  The system is up (${Math.round(performance.now() - started)} ms).
${config.EDGE ? `    edge:     ${entry}  (Envoy; readiness :${config.EDGE_READY_PORT}/ready, admin 127.0.0.1:${config.EDGE_ADMIN_PORT})\n` : ""}    gateway:  http://localhost:${config.GATEWAY_PORT}${gatewayRange}
    services: users :${SERVICES.users}, jobs :${SERVICES.jobs}, pipelines :${SERVICES.pipelines}
  Try:  curl -s -X POST ${entry}/login -H 'Content-Type: application/json' -d '{"username": "admin", "password": "secret"}'
  Ctrl-C stops everything.
`);
