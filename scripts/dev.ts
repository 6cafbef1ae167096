// `bun run dev`: the whole system on one machine. Starts the three services,
// then the gateway replicas (the first on 8000), prints one readable line per
// log entry with the component's name, and stops everything on Ctrl-C/SIGTERM.
// Exits non-zero if a component fails to start or dies while running.
// Ports: GATEWAY_PORT (8000, replicas on the next ports), USERS_PORT, JOBS_PORT,
// PIPELINES_PORT (50051-50053); GATEWAY_REPLICAS (2); LOG_FORMAT pretty|json.
import { parseConfig } from "@platform/kit";
import { z } from "zod";
import { startGateway, startService, type RunningComponent, type ServiceName } from "./lib/components";
import { prettyLine } from "./lib/prettyLog";

const config = parseConfig(
  z.object({
    GATEWAY_REPLICAS: z.coerce.number().int().min(1).max(16).default(2),
    GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
    USERS_PORT: z.coerce.number().int().min(1).max(65535).default(50051),
    JOBS_PORT: z.coerce.number().int().min(1).max(65535).default(50052),
    PIPELINES_PORT: z.coerce.number().int().min(1).max(65535).default(50053),
    LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
  }),
);

const SERVICES: Record<ServiceName, number> = { users: config.USERS_PORT, jobs: config.JOBS_PORT, pipelines: config.PIPELINES_PORT };
const colour = process.stdout.isTTY === true;
const width = Math.max(...Object.keys(SERVICES).map((n) => n.length), `gateway-${config.GATEWAY_REPLICAS}`.length);
const printer = (name: string) => (line: string) =>
  console.log(config.LOG_FORMAT === "json" ? line : prettyLine(`[${name.padEnd(width)}]`, line, colour));

const running: RunningComponent[] = [];
let stopping = false;

/** Front to back: the gateways drain before the services they call go away. */
async function stopAll(code: number): Promise<never> {
  stopping = true;
  const isGateway = (c: RunningComponent) => c.name.startsWith("gateway");
  await Promise.all(running.filter(isGateway).map((c) => c.stop("SIGTERM")));
  await Promise.all(running.filter((c) => !isGateway(c)).map((c) => c.stop("SIGTERM")));
  process.exit(code);
}

function watch(component: RunningComponent): RunningComponent {
  running.push(component);
  void component.process.exited.then((code) => {
    if (stopping) return;
    console.error(`dev: ${component.name} exited with code ${code}; stopping everything`);
    void stopAll(1);
  });
  return component;
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  await Promise.all(
    (Object.entries(SERVICES) as [ServiceName, number][]).map(async ([name, port]) =>
      // The pipelines service submits its steps to the jobs service.
      watch(await startService(name, { PORT: String(port), JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}` }, printer(name))),
    ),
  );
  const gatewayEnv = {
    USER_SERVICE_URL: `127.0.0.1:${SERVICES.users}`,
    JOBS_SERVICE_URL: `127.0.0.1:${SERVICES.jobs}`,
    PIPELINE_SERVICE_URL: `127.0.0.1:${SERVICES.pipelines}`,
  };
  await Promise.all(
    Array.from({ length: config.GATEWAY_REPLICAS }, async (_, i) => {
      const name = `gateway-${i + 1}`;
      const port = String(config.GATEWAY_PORT + i);
      return watch(await startGateway(name, { ...gatewayEnv, PORT: port, GATEWAY_REPLICA_ID: name }, printer(name)));
    }),
  );
} catch (error) {
  console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

console.log(`
  The system is up.
    gateway:  http://localhost:${config.GATEWAY_PORT}${config.GATEWAY_REPLICAS > 1 ? `  (replicas on ${config.GATEWAY_PORT}-${config.GATEWAY_PORT + config.GATEWAY_REPLICAS - 1})` : ""}
    services: users :${SERVICES.users}, jobs :${SERVICES.jobs}, pipelines :${SERVICES.pipelines}
  Try:  curl -s -X POST http://localhost:${config.GATEWAY_PORT}/login -H 'Content-Type: application/json' -d '{"username": "admin", "password": "secret"}'
  Ctrl-C stops everything.
`);
