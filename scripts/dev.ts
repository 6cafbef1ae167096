// `bun run dev`: the whole system on one machine, in the production topology:
// Envoy on 8080 in front of the gateway replicas (the first on 8000), the three
// services behind them. Prints one readable line per log entry with the
// component's name, and stops everything, front to back, on Ctrl-C/SIGTERM.
// Exits non-zero if a component fails to start or dies while running.
//
// Settings (scripts/lib/devConfig.ts): GATEWAY_REPLICAS (2), GATEWAY_PORT (8000;
// replicas take the next ports), USERS_PORT, JOBS_PORT, PIPELINES_PORT
// (50051-50053), their metrics ports USERS_METRICS_PORT, JOBS_METRICS_PORT,
// PIPELINES_METRICS_PORT (9464-9466), WORKERS (1), EDGE (true: run Envoy), EDGE_PORT (8080),
// EDGE_READY_PORT (8081), EDGE_ADMIN_PORT (9901), LOG_FORMAT (pretty | json), and
// the edge limits EDGE_RATE_LIMIT_PER_CLIENT_RPS (0: off), EDGE_RATE_LIMIT_BURST,
// EDGE_RATE_LIMIT_MAX_CLIENTS, EDGE_TRUSTED_HOPS (envoy/settings.ts).
import type { Subprocess } from "bun";
import { parseConfig } from "@platform/kit";
import { allStarted, startGateway, startService, startWorker, type ServiceName } from "./lib/components";
import { devConfigSchema } from "./lib/devConfig";
import { startEnvoy } from "./lib/envoy";
import { edgeRateLimit } from "../envoy/settings";
import { prettyLine } from "./lib/prettyLog";

const config = parseConfig(devConfigSchema);

const SERVICES: Record<ServiceName, number> = { users: config.USERS_PORT, jobs: config.JOBS_PORT, pipelines: config.PIPELINES_PORT };
// On one machine the services cannot share the default metrics port.
const METRICS_PORTS: Record<ServiceName, number> = {
  users: config.USERS_METRICS_PORT,
  jobs: config.JOBS_METRICS_PORT,
  pipelines: config.PIPELINES_METRICS_PORT,
};
const gatewayNames = Array.from({ length: config.GATEWAY_REPLICAS }, (_, i) => `gateway-${i + 1}`);
const colour = process.stdout.isTTY === true;
const workerNames = Array.from({ length: config.WORKERS }, (_, i) => `worker-${i + 1}`);
const width = Math.max(...[...Object.keys(SERVICES), ...gatewayNames, ...workerNames, "envoy"].map((n) => n.length));
const printer = (name: string) => (line: string) =>
  console.log(config.LOG_FORMAT === "json" ? line : prettyLine(`[${name.padEnd(width)}]`, line, colour));

/** Stopped in this order: the edge first, so nothing new arrives while the rest drain. */
const TIERS = ["edge", "gateway", "worker", "service"] as const;
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
  // allStarted: a failure waits for the other starts, so everything that came up is stopped.
  await allStarted(
    (Object.entries(SERVICES) as [ServiceName, number][]).map(async ([name, servicePort]) =>
      supervise(
        "service",
        // The pipelines service submits its steps to the jobs service.
        await startService(name, { PORT: String(servicePort), METRICS_PORT: String(METRICS_PORTS[name]), JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}` }, printer(name)),
      ),
    ),
  );
  await allStarted(
    workerNames.map(async (name) =>
      supervise("worker", await startWorker(name, { JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}`, WORKER_ID: name }, printer(name))),
    ),
  );
  const gatewayEnv = {
    USER_SERVICE_URL: `127.0.0.1:${SERVICES.users}`,
    JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}`,
    PIPELINE_SERVICE_URL: `127.0.0.1:${SERVICES.pipelines}`,
    // Envoy appends its peer's address to X-Forwarded-For: trust that hop, and the
    // load balancers Envoy itself trusts in front of it.
    TRUSTED_PROXY_HOPS: config.EDGE ? String(1 + config.EDGE_TRUSTED_HOPS) : "0",
  };
  const gatewayPorts = gatewayNames.map((_, i) => config.GATEWAY_PORT + i);
  await allStarted(
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
      rateLimit: edgeRateLimit(config),
      trustedHops: config.EDGE_TRUSTED_HOPS,
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
    services: users :${SERVICES.users}, jobs :${SERVICES.jobs}, pipelines :${SERVICES.pipelines}; ${config.WORKERS} worker(s)
    docs:     http://localhost:${config.GATEWAY_PORT}/docs   metrics: gateway /metrics, services :${METRICS_PORTS.users}-${METRICS_PORTS.pipelines}/metrics
  Try:  curl -s -X POST ${entry}/login -H 'Content-Type: application/json' -d '{"username": "admin", "password": "secret"}'
  Ctrl-C stops everything.
`);
