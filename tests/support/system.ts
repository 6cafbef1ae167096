// The whole system as real processes on ephemeral ports, for whole-system tests.
import { startGateway, startService, type RunningComponent, type ServiceName } from "../../scripts/lib/components";

export interface SystemOptions {
  /** Extra environment for every component. */
  env?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  gateways?: number;
  /** Every line any component prints, with the component's name. */
  onLine?: (component: string, line: string) => void;
}

export interface RunningSystem {
  services: Record<ServiceName, RunningComponent>;
  gateways: RunningComponent[];
  /** Base URL of the first gateway replica. */
  url: string;
  /** Every process this system started, for afterAll. */
  stop(): Promise<void>;
}

export const TEST_ENV = { LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", METRICS_PORT: "0" };

export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const env = { ...TEST_ENV, ...options.env };
  const started: RunningComponent[] = [];
  try {
    const [users, jobs, pipelines] = await Promise.all(
      (["users", "jobs", "pipelines"] as const).map(async (name) => {
        const component = await startService(name, env, options.onLine && ((line) => options.onLine!(name, line)));
        started.push(component);
        return component;
      }),
    );
    const gatewayEnv = {
      ...env,
      USER_SERVICE_URL: `127.0.0.1:${users!.port}`,
      JOBS_SERVICE_URL: `127.0.0.1:${jobs!.port}`,
      PIPELINE_SERVICE_URL: `127.0.0.1:${pipelines!.port}`,
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
      services: { users: users!, jobs: jobs!, pipelines: pipelines! },
      gateways,
      url: `http://127.0.0.1:${gateways[0]!.port}`,
      stop: async () => {
        await Promise.all(started.map((c) => c.stop("SIGKILL")));
      },
    };
  } catch (error) {
    await Promise.all(started.map((c) => c.stop("SIGKILL")));
    throw error;
  }
}
