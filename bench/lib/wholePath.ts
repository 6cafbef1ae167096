// The whole request path, as a user runs it: each baseline gateway with a users
// service of its own (baselines/users-memory.ts, grpc-js, users in a Map) beside
// this system's gateway → users service with its SQLite store (as `bun run dev`
// ships it), and the same through the shipped Envoy; GET /users/{id} and
// POST /users/ on each, measured interleaved. Then the edge's cost filter by
// filter (lib/envoyVariants.ts), on the same gateway replicas, and the shipped
// Envoy saturated in front of a bare Bun.serve.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@platform/harness";
import { ENVOY_VARIANTS, startVariantEnvoy, upstreamReuse } from "./envoyVariants";
import { httpScenario, SERVICE_PROCESSES, shippedEnvoy, type BenchContext, type Scenario } from "./scenarios";
import { BENCH_JWT_SECRET, SUPERVISOR } from "./system";

const BENCH_DIR = join(import.meta.dir, "..");
/** The FastAPI baseline's virtualenv (bench/baselines/fastapi/requirements.txt, pinned). */
export const FASTAPI_VENV = join(REPO_ROOT, ".tools", "bench-py");

/** The endpoints every path is measured on. */
export const PATH_ENDPOINTS = [
  ["getUser", "GET /users/{id}"],
  ["createUser", "POST /users/"],
] as const;

/** Contenders, in report order; `elysia` is what the ratios divide by. */
export const PATH_TARGETS: Record<string, string> = {
  "path-gateway": "this system, gateway → users (SQLite), as `bun run dev`",
  "path-envoy": "this system through the shipped Envoy",
  "path-elysia": "tutorial Elysia + @elysiajs/jwt + grpc-js, in-memory users service",
  "path-fastify": "Fastify + @fastify/jwt + grpc-js on Node, in-memory users service",
  "path-fastapi": "the original design: FastAPI + PyJWT + grpcio on uvicorn, in-memory users service",
};

/** `python -m venv` + `pip install -r requirements.txt` into .tools/bench-py, once; a reason when it cannot. */
async function ensureFastApiVenv(log: (line: string) => void): Promise<string | undefined> {
  const python = join(FASTAPI_VENV, "bin", "python");
  if (existsSync(join(FASTAPI_VENV, "lib")) && existsSync(python)) return undefined;
  const python3 = Bun.which("python3");
  if (!python3) return "python3 is not on PATH";
  log("bench: installing the FastAPI baseline's virtualenv (.tools/bench-py, once)");
  const requirements = join(BENCH_DIR, "baselines/fastapi/requirements.txt");
  for (const cmd of [
    [python3, "-m", "venv", FASTAPI_VENV],
    [join(FASTAPI_VENV, "bin", "pip"), "install", "-q", "-r", requirements],
  ]) {
    const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe" });
    const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0) return `${cmd.slice(0, 3).join(" ")} failed: ${err.slice(-500)}`;
  }
  return undefined;
}

/** GET and POST on every contender's whole path. */
export async function pathScenarios(ctx: BenchContext, log: (line: string) => void): Promise<Scenario[]> {
  const C = ctx.options.connections;
  const scenarios: Scenario[] = [];
  const add = (target: string, url: string, processes: string[]) => {
    for (const [key, name] of PATH_ENDPOINTS)
      scenarios.push(
        httpScenario(ctx, `path:${target}:${key}@${C}`, "path", name, target, url, ctx.workloads[key], C, processes),
      );
  };
  // The bench process prints the system's log lines as `bun run dev`'s supervisor does: on the path in dev.
  add("path-gateway", ctx.gatewayUrl, ["gateway-1", "users", SUPERVISOR]);
  // Quick mode stays quick: no Envoy (the envoy group covers it in a full run).
  const envoy = ctx.options.quick ? undefined : await shippedEnvoy(ctx);
  if (ctx.options.quick) ctx.skipped.push("Envoy whole path: not in quick mode.");
  if (envoy) add("path-envoy", envoy.url, ["envoy", ...ctx.system.gateways.map((g) => g.name), "users", SUPERVISOR]);

  /** A baseline and its own in-memory users service. */
  const baseline = async (target: string, cmd: string[]) => {
    const users = await ctx.spawn(
      `${target}-users`,
      [process.execPath, join(BENCH_DIR, "baselines/users-memory.ts")],
      { PORT: "0", SEED_USER_ID: String(ctx.seed.userId) },
      "users-memory listening",
    );
    const front = await ctx.spawn(
      target,
      cmd,
      { PORT: "0", JWT_SECRET_KEY: BENCH_JWT_SECRET, USER_SERVICE_URL: `127.0.0.1:${users.port}` },
      "baseline listening",
    );
    add(target, `http://127.0.0.1:${front.port}`, [target, `${target}-users`]);
  };
  await baseline("path-elysia", [process.execPath, join(BENCH_DIR, "baselines/elysia-tutorial.ts")]);
  const node = Bun.which("node");
  if (ctx.options.quick) ctx.skipped.push("Fastify whole path: not in quick mode.");
  else if (!node) ctx.skipped.push("Fastify whole path: node is not on PATH.");
  else await baseline("path-fastify", [node, join(BENCH_DIR, "baselines/fastify-node.mjs")]);
  if (ctx.options.quick) ctx.skipped.push("FastAPI whole path: not in quick mode.");
  else {
    const why = await ensureFastApiVenv(log);
    if (why) ctx.skipped.push(`FastAPI whole path: ${why}`);
    else
      await baseline("path-fastapi", [
        join(FASTAPI_VENV, "bin", "python"),
        join(BENCH_DIR, "baselines/fastapi/app.py"),
      ]);
  }
  return scenarios;
}

/** The edge's cost per variant: GET and POST through each Envoy variant, in front of the same replicas. */
export async function edgeScenarios(ctx: BenchContext): Promise<Scenario[]> {
  const C = ctx.options.connections;
  const gateways = ctx.system.gateways;
  const scenarios: Scenario[] = [];
  for (const variant of ENVOY_VARIANTS) {
    const envoy = await startVariantEnvoy(
      variant,
      gateways.map((g) => `127.0.0.1:${g.port}`),
    );
    const name = `envoy-${variant.id}`;
    ctx.track(name, envoy.pid, envoy.stop);
    for (const [key, endpoint] of PATH_ENDPOINTS) {
      const s = httpScenario(
        ctx,
        `edge:${variant.id}:${key}@${C}`,
        "edge",
        endpoint,
        name,
        envoy.url,
        ctx.workloads[key],
        C,
        [name, ...gateways.map((g) => g.name), ...SERVICE_PROCESSES],
      );
      // Connection reuse towards the gateways: requests per upstream connection opened during the run.
      scenarios.push({
        ...s,
        run: async (durationS, warmup) => {
          const before = await upstreamReuse(envoy.adminUrl);
          const result = await s.run(durationS, warmup);
          const after = await upstreamReuse(envoy.adminUrl);
          const opened = after.connections - before.connections;
          const sent = after.requests - before.requests;
          return { ...result, notes: `${opened} upstream connections opened for ${sent} requests` };
        },
      });
    }
  }
  scenarios.push(...(await bareEdges(ctx)));
  return scenarios;
}

/** The target names of the edge's scenarios in front of a bare Bun.serve (reportPath.ts and the targets read them). */
export const SATURATED_EDGE = "envoy-saturated";
export const EDGE_FLOOR = "envoy-floor";

/**
 * Envoy's own cost when nothing behind it is slow: the shipped rendering, and the minimal
 * variant (Envoy's floor: nothing of ours), each in front of the bare Bun.serve answer
 * (ceilings/httpCeiling.ts). Behind the real gateways each wake-up serves about one
 * request; here each serves many, as on a saturated proxy.
 */
async function bareEdges(ctx: BenchContext): Promise<Scenario[]> {
  const C = ctx.options.connections;
  const bare = await ctx.spawn(
    "bun-serve-edge",
    [process.execPath, join(BENCH_DIR, "ceilings/httpCeiling.ts")],
    {},
    "http ceiling listening",
  );
  const edges = [
    { id: "saturated", target: SATURATED_EDGE, variant: "shipped", what: "the shipped Envoy" },
    { id: "floor", target: EDGE_FLOOR, variant: "minimal", what: "a minimal Envoy" },
  ];
  const scenarios: Scenario[] = [];
  for (const { id, target, variant, what } of edges) {
    const envoy = await startVariantEnvoy(ENVOY_VARIANTS.find((v) => v.id === variant)!, [`127.0.0.1:${bare.port}`]);
    ctx.track(target, envoy.pid, envoy.stop);
    scenarios.push(
      httpScenario(
        ctx,
        `edge:${id}:getRoot@${C}`,
        "edge",
        `GET / (bare Bun.serve behind ${what})`,
        target,
        envoy.url,
        { requests: [{ method: "GET", path: "/" }], headers: {} },
        C,
        [target, "bun-serve-edge"],
      ),
    );
  }
  return scenarios;
}
