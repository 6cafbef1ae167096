// What the bench measures: the seed data, the workloads, and the scenarios on
// the gateway directly, through Envoy, and in the connection sweep.
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, startEnvoy } from "@platform/harness";
import type { LoadGenerator, LoadResult, Workload } from "./loadgen";
import type { BenchOptions } from "./options";
import type { ReadyProcess } from "./processes";
import type { ScenarioGroup } from "./report";
import type { BenchSystem } from "./system";

export interface Scenario {
  id: string;
  group: ScenarioGroup;
  name: string;
  target: string;
  connections: number;
  /** Process names whose RSS the report shows for this scenario. */
  processes: string[];
  run(durationS: number, warmup: boolean): Promise<LoadResult>;
  /** How long its processes need after a run to hand back what it held, so the next run's RSS is its own. */
  settleMs?: number;
}

/**
 * A login holds argon2id's 64 MiB per check in flight, which goes back to the system within about half a
 * second of the last one: the run after it waits that long, or it would count it as its own.
 */
export const LOGIN_SETTLE_MS = 1500;
const settled = (key: keyof Workloads, scenario: Scenario): Scenario =>
  key === "login" ? { ...scenario, settleMs: LOGIN_SETTLE_MS } : scenario;

/** What the scenarios share: the settings, the running system, and where extra processes and notes go. */
export interface BenchContext {
  options: BenchOptions;
  loadgen: LoadGenerator;
  system: BenchSystem;
  gatewayUrl: string;
  seed: Seed;
  workloads: Workloads;
  /** Spawns a process the bench drives; it is stopped and its RSS sampled with the rest. */
  spawn(name: string, cmd: string[], env: Record<string, string>, readyMessage: string): Promise<ReadyProcess>;
  /** Watches a process started another way (Envoy) and stops it at the end. */
  track(name: string, pid: number, stop: () => Promise<unknown>): void;
  skipped: string[];
  notes: string[];
}

export const SERVICE_PROCESSES = ["users", "jobs", "pipelines"];

export interface Seed {
  token: string;
  userId: number;
  pipelineId: number;
}

/** A token, a user and a pipeline to read. */
export async function seed(gatewayUrl: string): Promise<Seed> {
  const token = await login(gatewayUrl);
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const userId = await create(gatewayUrl, "/users/", { name: "Bench Reader", email: "reader@example.com" }, auth);
  const pipelineId = await create(gatewayUrl, "/pipelines/", { pipeline_name: "bench pipeline" }, auth);
  return { token, userId, pipelineId };
}

export function workloadsFor({ token, userId, pipelineId }: Seed) {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return {
    login: {
      requests: [{ method: "POST", path: "/login", body: JSON.stringify({ username: "admin", password: "secret" }) }],
      headers: { "content-type": "application/json" },
    },
    getUser: { requests: [{ method: "GET", path: `/users/${userId}` }], headers: auth },
    createUser: {
      requests: [{ method: "POST", path: "/users/", body: `{"name":"Bench User","email":"bench-{n}@example.com"}` }],
      headers: auth,
    },
    createJob: { requests: [{ method: "POST", path: "/jobs/", body: `{"job_name":"bench job {n}"}` }], headers: auth },
    getPipeline: { requests: [{ method: "GET", path: `/pipelines/${pipelineId}` }], headers: auth },
    mixed: {
      requests: [
        { method: "GET", path: `/users/${userId}`, weight: 7 },
        { method: "GET", path: `/pipelines/${pipelineId}`, weight: 1 },
        { method: "POST", path: "/users/", body: `{"name":"Mixed User","email":"mixed-{n}@example.com"}`, weight: 1 },
        { method: "POST", path: "/jobs/", body: `{"job_name":"mixed job {n}"}`, weight: 1 },
      ],
      headers: auth,
    },
  } satisfies Record<string, Workload>;
}
export type Workloads = ReturnType<typeof workloadsFor>;

export const ENDPOINTS: [keyof Workloads, string][] = [
  ["login", "POST /login"],
  ["getUser", "GET /users/{id}"],
  ["createUser", "POST /users/"],
  ["createJob", "POST /jobs/"],
  ["getPipeline", "GET /pipelines/{id}"],
  ["mixed", "mixed 70% GET user, 10% GET pipeline, 10% POST user, 10% POST job"],
];

export function httpScenario(
  ctx: Pick<BenchContext, "loadgen">,
  id: string,
  group: ScenarioGroup,
  name: string,
  target: string,
  url: string,
  workload: Workload,
  connections: number,
  processes: string[],
): Scenario {
  return {
    id,
    group,
    name,
    target,
    connections,
    processes,
    run: (durationS) => ctx.loadgen({ url, connections, durationS, workload }),
  };
}

const gatewayProcesses = ["gateway-1", ...SERVICE_PROCESSES];

/** GET /users/{id} on replica 1: the headline the baselines and Envoy are compared with. */
export function getUserDirect(ctx: BenchContext): Scenario {
  const C = ctx.options.connections;
  return httpScenario(
    ctx,
    `gateway:getUser@${C}`,
    "direct",
    "GET /users/{id}",
    "gateway",
    ctx.gatewayUrl,
    ctx.workloads.getUser,
    C,
    gatewayProcesses,
  );
}

/** Every endpoint on gateway replica 1; `headline` gets GET /users/{id} when the baselines run. */
export function directScenarios(ctx: BenchContext, headline: Scenario[]): Scenario[] {
  const { options } = ctx;
  const C = options.connections;
  const all: Scenario[] = [];
  for (const [key, name] of ENDPOINTS) {
    // Quick mode skips the login: one second of argon2id verifications on a busy machine may finish none.
    if (options.quick && key === "login") continue;
    // A login runs one argon2id verification (tens of ms of CPU) on purpose: it is
    // measured with one connection per core, since more connections only queue.
    const conns = key === "login" ? Math.min(C, cpus().length) : C;
    const scenario =
      key === "getUser"
        ? getUserDirect(ctx)
        : settled(
            key,
            httpScenario(
              ctx,
              `gateway:${key}@${conns}`,
              "direct",
              name,
              "gateway",
              ctx.gatewayUrl,
              ctx.workloads[key],
              conns,
              gatewayProcesses,
            ),
          );
    if (key === "getUser" && options.groups.has("baseline")) headline.push(scenario);
    else all.push(scenario);
    if (options.quick && key === "createUser") break;
  }
  return all;
}

type StartEnvoy = (
  options: Parameters<typeof startEnvoy>[0],
) => Promise<{ pid: number; port: number; adminUrl?: string; stop(signal?: NodeJS.Signals): Promise<unknown> }>;

const shipped = new WeakMap<BenchContext, Promise<{ url: string; adminUrl: string }>>();

/**
 * The shipped edge (harness's startEnvoy, or BENCH_ENVOY_MODULE's) in front of every
 * replica, started once per run and shared by the envoy and path groups; undefined
 * when BENCH_ENVOY_MODULE names no file.
 */
export function shippedEnvoy(ctx: BenchContext): Promise<{ url: string; adminUrl: string } | undefined> {
  const { options, system } = ctx;
  if (options.envoyModule && !existsSync(join(process.cwd(), options.envoyModule))) {
    const modulePath = join(process.cwd(), options.envoyModule);
    const why = `Envoy scenarios: ${modulePath.replace(`${REPO_ROOT}/`, "")} does not exist.`;
    if (!ctx.skipped.includes(why)) ctx.skipped.push(why);
    return Promise.resolve(undefined);
  }
  let started = shipped.get(ctx);
  if (!started) {
    started = (async () => {
      let start: StartEnvoy = startEnvoy;
      if (options.envoyModule) {
        start = ((await import(join(process.cwd(), options.envoyModule))) as { startEnvoy: StartEnvoy }).startEnvoy;
        ctx.notes.push(`Envoy came from BENCH_ENVOY_MODULE=${options.envoyModule}, not harness/src/envoy.ts.`);
      }
      const envoy = await start({
        gatewayAddresses: system.gateways.map((g) => `127.0.0.1:${g.port}`),
        listenPort: 0,
        adminPort: 0,
        readyPort: 0,
        logLevel: "error",
        // The shipped edge configuration, as `bun run dev` runs it: nothing switched off.
      });
      ctx.track("envoy", envoy.pid, () => envoy.stop("SIGTERM"));
      return { url: `http://127.0.0.1:${envoy.port}`, adminUrl: envoy.adminUrl ?? "" };
    })();
    shipped.set(ctx, started);
  }
  return started;
}

/** Every endpoint through the shipped Envoy in front of every replica. */
export async function envoyScenarios(ctx: BenchContext, headline: Scenario[]): Promise<Scenario[]> {
  const { options, system } = ctx;
  const C = options.connections;
  const envoy = await shippedEnvoy(ctx);
  if (!envoy) return [];
  const envoyUrl = envoy.url;
  const envoyProcesses = ["envoy", ...system.gateways.map((g) => g.name), ...SERVICE_PROCESSES];
  const all: Scenario[] = [];
  for (const [key, name] of ENDPOINTS) {
    const scenario = settled(
      key,
      httpScenario(ctx, `envoy:${key}@${C}`, "envoy", name, "envoy", envoyUrl, ctx.workloads[key], C, envoyProcesses),
    );
    if (key === "getUser" && options.groups.has("baseline")) headline.push(scenario);
    else all.push(scenario);
  }
  return all;
}

/** GET /users/{id} at every sweep level but the headline's, when the headline already ran at it. */
export function sweepScenarios(ctx: BenchContext, levels: number[]): Scenario[] {
  return levels.map((c) =>
    httpScenario(
      ctx,
      `sweep:getUser@${c}`,
      "sweep",
      "GET /users/{id} sweep",
      "gateway",
      ctx.gatewayUrl,
      ctx.workloads.getUser,
      c,
      gatewayProcesses,
    ),
  );
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "secret" }),
  });
  if (response.status !== 200) throw new Error(`bench: login answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function create(url: string, path: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (response.status !== 201)
    throw new Error(`bench: POST ${path} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}
