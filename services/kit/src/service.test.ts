// The one service start-up, in process: the database is migrated before the
// service is composed, the health port comes from the config, background tasks
// start once the server listens and stop in reverse order after it drained.
import { expect, test } from "bun:test";
import { users, SERVICE_NAMES } from "@platform/proto";
import { parseConfig } from "./config";
import { openDatabase } from "./db/database";
import { appliedMigrations } from "./db/migrate";
import { checkHealth, createHealthClient } from "./health";
import { startGrpcService, type GrpcService } from "./service";
import { serviceConfigSchema, type ServiceConfig } from "./serviceConfig";
import { quietLogger, TEST_SERVER_CONFIG } from "./testing";
import { unary } from "./unary";

test("migrates, composes, serves, then starts tasks; shutdown drains the server before the tasks stop, last started first", async () => {
  const events: string[] = [];
  const db = openDatabase("probe", { url: "sqlite::memory:", dataDir: "", poolSize: 1 });
  let target = "";
  const serverAnswers = async () => {
    const health = createHealthClient(target);
    try {
      return (await checkHealth(health, "", 2_000)) === "SERVING";
    } finally {
      health.close();
    }
  };
  const probe: GrpcService<ServiceConfig> = {
    name: "probe",
    config: (source = {}) => parseConfig(serviceConfigSchema(1), source),
    migrations: [{ version: 1, name: "things", sql: "CREATE TABLE things (id INTEGER PRIMARY KEY)" }],
    async compose({ db: migrated, config, logger }) {
      events.push(
        `compose: migrations ${(await appliedMigrations(migrated, "probe")).join(",")}, shutdown timeout ${config.SHUTDOWN_TIMEOUT_MS}, metrics port ${config.METRICS_PORT}`,
      );
      const get = unary("GetUser", logger, async () => ({}));
      const task = (name: string) => ({
        name,
        start: () => void events.push(`start ${name}`),
        stop: async () => void events.push(`stop ${name}: server answers ${await serverAnswers()}`),
      });
      return {
        services: [
          {
            name: SERVICE_NAMES.users,
            definition: users.UsersService.service,
            implementation: { GetUser: get, CreateUser: get, ListUsers: get },
          },
        ],
        tasks: [task("sweeper"), task("orchestrator")],
      };
    },
  };
  const server = await startGrpcService(probe, {
    config: { ...TEST_SERVER_CONFIG, GRPC_HEALTH_PORT: 0 },
    logger: quietLogger(),
    db,
  });
  target = `127.0.0.1:${server.port}`;
  try {
    expect(server.healthPort).toBeGreaterThan(0);
    expect(await serverAnswers()).toBe(true);
    events.push("serving");
  } finally {
    await server.shutdown();
    await db.close();
  }
  expect(events).toEqual([
    // The test's settings over the defaults of the service's own config loader.
    "compose: migrations 1, shutdown timeout 2000, metrics port 9464",
    "start sweeper",
    "start orchestrator",
    "serving",
    "stop orchestrator: server answers false",
    "stop sweeper: server answers false",
  ]);
});
