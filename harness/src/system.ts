// The one launcher: the whole system as real processes (the three services, the
// reference workers, the gateway replicas, optionally Envoy in front) started in
// dependency order on given or ephemeral ports, and stopped front to back.
// `bun run dev`, the whole-system tests and the bench all start the system here.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultsFor } from "../../envoy/config";
import {
  allStarted,
  type ComponentName,
  startGateway,
  startService,
  startWorker,
  type RunningComponent,
  type ServiceName,
} from "./components";
import { startEnvoy, type RunningEnvoy, type StartEnvoyOptions } from "./envoy";

type Env = Record<string, string | undefined>;

export const SERVICE_NAMES: readonly ServiceName[] = ["users", "jobs", "pipelines"];

/** Stopped in this order: the edge first, so nothing new arrives while the rest drain. */
export const TIERS = ["edge", "gateway", "worker", "service"] as const;
export type Tier = (typeof TIERS)[number];

/** Envoy's options, but for the gateway addresses (the launcher knows them). */
export type EdgeSpec = Omit<StartEnvoyOptions, "gatewayAddresses" | "onLine">;

export interface SystemSpec {
  /** Environment for every component, over this process's. */
  env?: Env;
  /** The services' ports; any left out is ephemeral. */
  ports?: Partial<Record<ServiceName, number>>;
  /** The services' Prometheus ports; any left out is ephemeral. */
  metricsPorts?: Partial<Record<ServiceName, number>>;
  /** Extra environment for one service, e.g. its own DATABASE_URL. */
  serviceEnv?: Partial<Record<ServiceName, Env>>;
  /** Gateway replicas, named gateway-1, gateway-2, ... (default 1). */
  gateways?: number;
  /** The first replica's port, the others take the next ones; ephemeral if left out. */
  gatewayPort?: number;
  gatewayEnv?: Env;
  /** Reference workers, named worker-1, ... (default 0). */
  workers?: number;
  workerEnv?: Env;
  /** Run Envoy in front of the gateway replicas, with these options. */
  edge?: EdgeSpec;
  /** Give the system a DATA_DIR of its own (fresh SQLite files), removed on stop. */
  temporaryData?: boolean;
  /** How stop() and a failed start end the processes (default SIGTERM: they drain). */
  stopSignal?: NodeJS.Signals;
  /** Every line any component prints, with the component's name. */
  onLine?: (component: string, line: string) => void;
  /** Run a kind of component from another tree laid out like the repository (an image's /app, replayed); default the repository. */
  roots?: Partial<Record<ComponentName, string>>;
  /** A component that exited by itself after it was ready (not during stop()). */
  onExit?: (component: string, code: number | null) => void;
}

/** One started process, whatever it is. */
export interface SystemProcess {
  name: string;
  tier: Tier;
  pid: number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface RunningSystem {
  services: Record<ServiceName, RunningComponent>;
  gateways: RunningComponent[];
  workers: RunningComponent[];
  envoy?: RunningEnvoy;
  /** Base URL of the first gateway replica. */
  url: string;
  /** The environment every component was started with (DATA_DIR included), to restart one on the same data. */
  env: Record<string, string>;
  /** What the gateway replicas were started with, but for their replica id (to start one more). */
  gatewayEnv: Env;
  /** Milliseconds from the first spawn to the last ready component. */
  readyMs: number;
  /** Every process, in start order. */
  all(): SystemProcess[];
  /** Stops every process, front to back (spec.stopSignal unless given), and removes temporary data. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SystemLauncher {
  /** Every component's name, known before anything starts (for log prefixes). */
  readonly names: string[];
  /** Starts everything; on a failure, stops what came up and rethrows. */
  start(): Promise<RunningSystem>;
  /** Safe at any time, also while start() runs: what is starting is stopped once it is up. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** The processes that came up so far, in start order. */
  processes(): SystemProcess[];
}

const gatewayName = (i: number) => `gateway-${i + 1}`;
const workerName = (i: number) => `worker-${i + 1}`;
const local = (port: number) => `127.0.0.1:${port}`;

export function createSystem(spec: SystemSpec = {}): SystemLauncher {
  const gatewayNames = Array.from({ length: spec.gateways ?? 1 }, (_, i) => gatewayName(i));
  const workerNames = Array.from({ length: spec.workers ?? 0 }, (_, i) => workerName(i));
  const stopSignal = spec.stopSignal ?? "SIGTERM";
  const dataDir = spec.temporaryData ? mkdtempSync(join(tmpdir(), "system-data-")) : undefined;
  const env: Env = { ...spec.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) };
  const started: SystemProcess[] = [];
  let stopping: Promise<void> | undefined;
  let starting: Promise<unknown> = Promise.resolve();

  const printer = (name: string) => spec.onLine && ((line: string) => spec.onLine!(name, line));

  /** Keeps a ready process: watched from now on, and stopped at once if stop() came first. */
  const register = async <
    T extends {
      pid: number;
      process: { exited: Promise<number> };
      stop(signal?: NodeJS.Signals): Promise<number | null>;
    },
  >(
    name: string,
    tier: Tier,
    component: T,
  ): Promise<T> => {
    started.push({ name, tier, pid: component.pid, stop: (signal) => component.stop(signal) });
    if (stopping) await component.stop(stopSignal);
    else
      void component.process.exited.then((code) => {
        if (!stopping) spec.onExit?.(name, code);
      });
    return component;
  };

  /** Runs one tier's starts; stop() waits for them, so nothing that comes up late is left running. */
  const tier = <T extends readonly unknown[]>(starts: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> => {
    starting = Promise.allSettled(starts);
    return allStarted<T>(starts);
  };

  const stopAll = async (signal: NodeJS.Signals) => {
    await starting;
    for (const t of TIERS) await Promise.all(started.filter((c) => c.tier === t).map((c) => c.stop(signal)));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = (signal: NodeJS.Signals = stopSignal) => (stopping ??= stopAll(signal));
  const unlessStopping = () => {
    if (stopping) throw new Error("the system was stopped while it started");
  };

  const start = async (): Promise<RunningSystem> => {
    const t0 = performance.now();
    const service = (name: ServiceName, wiring: Env = {}) =>
      startService(
        name,
        {
          ...env,
          PORT: String(spec.ports?.[name] ?? 0),
          METRICS_PORT: String(spec.metricsPorts?.[name] ?? 0),
          ...wiring,
          ...spec.serviceEnv?.[name],
        },
        printer(name),
        spec.roots?.[name],
      ).then((c) => register(name, "service", c));
    try {
      // The pipelines service submits its steps to the jobs service: it starts once
      // the jobs address is known (at once when the port is given).
      const jobsStart = service("jobs");
      const jobsAddress = spec.ports?.jobs
        ? Promise.resolve(local(spec.ports.jobs))
        : jobsStart.then((jobs) => local(jobs.port));
      const serviceStarts = {
        users: service("users"),
        jobs: jobsStart,
        pipelines: jobsAddress.then((address) => {
          unlessStopping();
          return service("pipelines", { JOBS_SERVICE_URL: address });
        }),
      };
      // A service's address is known before it is up when its port is given (`bun run dev`): the gateways
      // (whose gRPC channels connect on first use, and whose readiness is their own) start beside the services.
      const address = (name: ServiceName) => {
        const port = spec.ports?.[name];
        return port ? Promise.resolve(local(port)) : serviceStarts[name].then((c) => local(c.port));
      };
      const gatewayEnvReady = Promise.all([address("users"), jobsAddress, address("pipelines")]).then(
        ([users, jobs, pipelines]): Env => ({
          ...env,
          USER_SERVICE_URL: users,
          JOBS_SERVICE_URL: jobs,
          PIPELINE_SERVICE_URL: pipelines,
          // Envoy appends its peer's address to X-Forwarded-For: trust that hop, and the
          // load balancers Envoy itself trusts in front of it.
          TRUSTED_PROXY_HOPS: String(spec.edge ? 1 + (spec.edge.trustedHops ?? defaultsFor("local").trustedHops) : 0),
          ...spec.gatewayEnv,
        }),
      );
      // Workers claim at once: they start when the jobs service is up.
      const workerStarts = workerNames.map((name) =>
        jobsStart.then((jobs) => {
          unlessStopping();
          return startWorker(
            name,
            { ...env, METRICS_PORT: "0", JOBS_SERVICE_URL: local(jobs.port), ...spec.workerEnv, WORKER_ID: name },
            printer(name),
            spec.roots?.worker,
          ).then((c) => register(name, "worker", c));
        }),
      );
      const gatewayStarts = gatewayNames.map((name, i) =>
        gatewayEnvReady.then((gatewayEnv) => {
          unlessStopping();
          return startGateway(
            name,
            {
              ...gatewayEnv,
              PORT: String(spec.gatewayPort === undefined ? 0 : spec.gatewayPort + i),
              GATEWAY_REPLICA_ID: name,
            },
            printer(name),
            spec.roots?.gateway,
          ).then((c) => register(name, "gateway", c));
        }),
      );
      const edge = (gatewayAddresses: string[]) =>
        startEnvoy({ ...spec.edge, gatewayAddresses, onLine: printer("envoy") }).then((e) =>
          register("envoy", "edge", e),
        );
      // With the gateways' ports given, Envoy knows its upstreams before they listen and starts beside
      // them too (its health checks find them).
      const early =
        spec.edge && spec.gatewayPort !== undefined
          ? [edge(gatewayNames.map((_, i) => local((spec.gatewayPort as number) + i)))]
          : [];
      const ready = await tier<unknown[]>([
        serviceStarts.users,
        serviceStarts.jobs,
        serviceStarts.pipelines,
        ...workerStarts,
        ...gatewayStarts,
        ...early,
      ]);
      const [users, jobs, pipelines] = ready as [RunningComponent, RunningComponent, RunningComponent];
      const workers = ready.slice(3, 3 + workerStarts.length) as RunningComponent[];
      const gateways = ready.slice(
        3 + workerStarts.length,
        3 + workerStarts.length + gatewayStarts.length,
      ) as RunningComponent[];
      let envoy = ready[3 + workerStarts.length + gatewayStarts.length] as RunningEnvoy | undefined;
      const gatewayEnv = await gatewayEnvReady;
      if (spec.edge && !envoy) {
        unlessStopping();
        [envoy] = await tier<[RunningEnvoy]>([edge(gateways.map((g) => local(g.port)))]);
      }
      unlessStopping();

      return {
        services: { users, jobs, pipelines },
        gateways,
        workers,
        envoy,
        url: `http://${local(gateways[0]!.port)}`,
        env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
        gatewayEnv,
        readyMs: performance.now() - t0,
        all: () => [...started],
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  };

  return {
    names: [...SERVICE_NAMES, ...workerNames, ...gatewayNames, ...(spec.edge ? ["envoy"] : [])],
    start,
    stop,
    processes: () => [...started],
  };
}

/** createSystem(spec).start(). */
export function launchSystem(spec: SystemSpec = {}): Promise<RunningSystem> {
  return createSystem(spec).start();
}
