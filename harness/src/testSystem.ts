// The whole system for whole-system tests: the launcher on ephemeral ports, with
// data of its own, INFO logs, and killed (SIGKILL) when the suite is done.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceName } from "./components";
import { launchSystem, type RunningSystem, type SystemSpec } from "./system";

export type { RunningSystem } from "./system";

export interface SystemOptions {
  /** Extra environment for every component. */
  env?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Extra environment for one service, e.g. its own DATABASE_URL. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  gateways?: number;
  /** Reference workers (default 0). */
  workers?: number;
  /** Components run from other trees (replayed images). */
  roots?: SystemSpec["roots"];
  /** Every line any component prints, with the component's name. */
  onLine?: (component: string, line: string) => void;
}

export const TEST_ENV = { LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", METRICS_PORT: "0" };

/**
 * TEST_ENV with a data directory of its own (fresh SQLite files), for services
 * a test starts outside startSystem; replicas given the same env share data.
 */
export function isolatedServiceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...TEST_ENV, DATA_DIR: mkdtempSync(join(tmpdir(), "service-data-")), ...extra };
}

/** Every system gets its own data: fresh SQLite files, unless options.env names a DATABASE_URL. */
export function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  return launchSystem({
    env: { ...TEST_ENV, ...options.env },
    serviceEnv: options.serviceEnv,
    gateways: options.gateways,
    workers: options.workers,
    roots: options.roots,
    gatewayEnv: options.gatewayEnv,
    onLine: options.onLine,
    temporaryData: true,
    stopSignal: "SIGKILL",
  });
}
