// The whole system as real processes on ephemeral ports, for whole-system tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allStarted, startGateway, startService, type RunningComponent, type ServiceName } from "../../scripts/lib/components";

export interface SystemOptions {
  /** Extra environment for every component. */
  env?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Extra environment for one service, e.g. its own DATABASE_URL. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  gateways?: number;
  /** Every line any component prints, with the component's name. */
  onLine?: (component: string, line: string) => void;
}

export interface RunningSystem {
  services: Record<ServiceName, RunningComponent>;
  gateways: RunningComponent[];
  /** Base URL of the first gateway replica. */
  url: string;
  /** The environment the services were started with (DATA_DIR included), to restart one on the same data. */
  env: Record<string, string>;
  /** Every process this system started, for afterAll. */
  stop(): Promise<void>;
}

export const TEST_ENV = { LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", METRICS_PORT: "0" };

/**
 * TEST_ENV with a data directory of its own (fresh SQLite files), for services
 * a test starts outside startSystem; replicas given the same env share data.
 */
export function isolatedServiceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...TEST_ENV, DATA_DIR: mkdtempSync(join(tmpdir(), "service-data-")), ...extra };
}

export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  // Every system gets its own data: fresh SQLite files, unless options.env names a DATABASE_URL.
  const dataDir = mkdtempSync(join(tmpdir(), "system-data-"));
  const env = { ...TEST_ENV, DATA_DIR: dataDir, ...options.env };
  const started: RunningComponent[] = [];
  const launch = async (name: ServiceName, extra: Record<string, string> = {}) => {
    const onLine = options.onLine && ((line: string) => options.onLine!(name, line));
    const component = await startService(name, { ...env, ...options.serviceEnv?.[name], ...extra }, onLine);
    started.push(component);
    return component;
  };
  try {
    const [users, jobs] = await allStarted([launch("users"), launch("jobs")]);
    const pipelines = await launch("pipelines", { JOBS_SERVICE_URL: `127.0.0.1:${jobs.port}` });
    const gatewayEnv = {
      ...env,
      USER_SERVICE_URL: `127.0.0.1:${users.port}`,
      JOBS_SERVICE_URL: `127.0.0.1:${jobs.port}`,
      PIPELINE_SERVICE_URL: `127.0.0.1:${pipelines.port}`,
      ...options.gatewayEnv,
    };
    const gateways: RunningComponent[] = [];
    for (let i = 1; i <= (options.gateways ?? 1); i++) {
      const gateway = await startGateway(
        `gateway-${i}`,
        { ...gatewayEnv, GATEWAY_REPLICA_ID: `gateway-${i}` },
        options.onLine && ((line) => options.onLine!(`gateway-${i}`, line)),
      );
      started.push(gateway);
      gateways.push(gateway);
    }
    return {
      services: { users, jobs, pipelines },
      gateways,
      url: `http://127.0.0.1:${gateways[0]!.port}`,
      env,
      stop: async () => {
        await Promise.all(started.map((c) => c.stop("SIGKILL")));
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map((c) => c.stop("SIGKILL")));
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
