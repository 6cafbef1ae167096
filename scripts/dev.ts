// `bun run dev`: the whole system on one machine, in the production topology:
// Envoy on 8080 in front of the gateway replicas (the first on 8000), the three
// services behind them. Prints one readable line per log entry with the
// component's name, and stops everything, front to back, on Ctrl-C/SIGTERM.
// Exits non-zero if a component fails to start or dies while running.
//
// Settings (harness/src/devConfig.ts): GATEWAY_REPLICAS (2), GATEWAY_PORT (8000;
// replicas take the next ports), USERS_PORT, JOBS_PORT, PIPELINES_PORT
// (50051-50053), their metrics ports USERS_METRICS_PORT, JOBS_METRICS_PORT,
// PIPELINES_METRICS_PORT (9464-9466), WORKERS (1), EDGE (true: run Envoy), EDGE_PORT (8080),
// EDGE_READY_PORT (8081), EDGE_ADMIN_PORT (9901), LOG_FORMAT (pretty | json), and
// the edge limits EDGE_RATE_LIMIT_PER_CLIENT_RPS (0: off), EDGE_RATE_LIMIT_BURST,
// EDGE_RATE_LIMIT_MAX_CLIENTS, EDGE_TRUSTED_HOPS, EDGE_ACCESS_LOG (envoy/settings.ts).
import { parseConfig } from "@platform/kit/config";
import { perTurn } from "@platform/kit/logger";
import { createSystem, devConfigSchema, prettyLine } from "@platform/harness";
import { edgeRateLimit } from "../envoy/settings";

const config = parseConfig(devConfigSchema);

const SERVICES = { users: config.USERS_PORT, jobs: config.JOBS_PORT, pipelines: config.PIPELINES_PORT };
// On one machine the services cannot share the default metrics port.
const METRICS_PORTS = {
  users: config.USERS_METRICS_PORT,
  jobs: config.JOBS_METRICS_PORT,
  pipelines: config.PIPELINES_METRICS_PORT,
};
const colour = process.stdout.isTTY === true;

// Every component's lines, written once per turn of the event loop (a busy system prints thousands a second).
// Once the reader of our output is gone (`| head`, a closed terminal or log pipe), nothing more is written
// and everything stops, as on Ctrl-C: a failed write must not end this process before its components.
let outputGone = false;
const onOutputGone = () => {
  if (outputGone) return;
  outputGone = true;
  void stopAll(0);
};
process.stdout.on("error", onOutputGone);
const out = perTurn({
  write: (chunk: string) => {
    if (outputGone) return;
    try {
      process.stdout.write(chunk);
    } catch {
      onOutputGone();
    }
  },
});
const print = (line: string) => out.write(`${line}\n`);
let width = 0;
const system = createSystem({
  ports: SERVICES,
  metricsPorts: METRICS_PORTS,
  gateways: config.GATEWAY_REPLICAS,
  gatewayPort: config.GATEWAY_PORT,
  workers: config.WORKERS,
  edge: config.EDGE
    ? {
        listenPort: config.EDGE_PORT,
        readyPort: config.EDGE_READY_PORT,
        adminPort: config.EDGE_ADMIN_PORT,
        rateLimit: edgeRateLimit(config),
        trustedHops: config.EDGE_TRUSTED_HOPS,
        accessLog: config.EDGE_ACCESS_LOG,
      }
    : undefined,
  onLine: (name, line) =>
    print(config.LOG_FORMAT === "json" ? line : prettyLine(`[${name.padEnd(width)}]`, line, colour)),
  onExit: (name, code) => {
    console.error(`dev: ${name} exited with code ${code}; stopping everything`);
    void stopAll(1);
  },
});
width = Math.max(...system.names.map((n) => n.length));

let exiting = false;
/** Stops everything, front to back (the launcher's order), then exits with `code`. */
async function stopAll(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  await system.stop("SIGTERM");
  out.flush();
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

const started = performance.now();
try {
  // A failure stops whatever came up (the launcher waits for the other starts first).
  await system.start();
} catch (error) {
  // Stopped by a signal or a dying component: stopAll is already on its way out.
  if (exiting) await new Promise(() => {});
  console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

const gatewayRange =
  config.GATEWAY_REPLICAS > 1
    ? `  (replicas on ${config.GATEWAY_PORT}-${config.GATEWAY_PORT + config.GATEWAY_REPLICAS - 1})`
    : "";
const entry = config.EDGE ? `http://localhost:${config.EDGE_PORT}` : `http://localhost:${config.GATEWAY_PORT}`;
out.write(`
  The system is up (${Math.round(performance.now() - started)} ms).
${config.EDGE ? `    edge:     ${entry}  (Envoy; readiness :${config.EDGE_READY_PORT}/ready, admin 127.0.0.1:${config.EDGE_ADMIN_PORT})\n` : ""}    gateway:  http://localhost:${config.GATEWAY_PORT}${gatewayRange}
    services: users :${SERVICES.users}, jobs :${SERVICES.jobs}, pipelines :${SERVICES.pipelines}; ${config.WORKERS} worker(s)
    docs:     http://localhost:${config.GATEWAY_PORT}/docs   metrics: gateway /metrics, services :${METRICS_PORTS.users}-${METRICS_PORTS.pipelines}/metrics
  Try:  curl -s -X POST ${entry}/login -H 'Content-Type: application/json' -d '{"username": "admin", "password": "secret"}'
  Ctrl-C stops everything.

`);
out.flush();
