// What the gateway is compared with: the machine's ceilings (a bare Bun.serve, a
// grpc-js client straight at the users service) and two baseline gateways (the
// Elysia tutorial way, Fastify on Node) against the same users service.
import { join } from "node:path";
import type { LoadResult } from "./loadgen";
import { httpScenario, type BenchContext, type Scenario } from "./scenarios";
import { BENCH_JWT_SECRET } from "./system";

const BENCH_DIR = join(import.meta.dir, "..");

export async function ceilingScenarios(ctx: BenchContext): Promise<Scenario[]> {
  const { options, system } = ctx;
  const C = options.connections;
  const ceiling = await ctx.spawn(
    "bun-serve",
    [process.execPath, join(BENCH_DIR, "ceilings/httpCeiling.ts")],
    {},
    "http ceiling listening",
  );
  return [
    httpScenario(
      ctx,
      `ceiling:http@${C}`,
      "ceiling",
      "GET / (bare Bun.serve JSON)",
      "bun-serve",
      `http://127.0.0.1:${ceiling.port}`,
      { requests: [{ method: "GET", path: "/" }], headers: {} },
      C,
      ["bun-serve"],
    ),
    {
      id: `ceiling:grpc@${C}`,
      group: "ceiling",
      name: "GetUser (grpc-js unary, one channel)",
      target: "users-grpc",
      connections: C,
      processes: ["users"],
      run: (durationS, warmup) =>
        grpcCeiling(system.services.users.port, ctx.seed.userId, C, durationS, warmup ? 0 : options.warmupS),
    },
  ];
}

/** GET /users/{id} on each baseline gateway; the Fastify one needs node on PATH. */
export async function baselineScenarios(ctx: BenchContext): Promise<Scenario[]> {
  const C = ctx.options.connections;
  const env = {
    PORT: "0",
    JWT_SECRET_KEY: BENCH_JWT_SECRET,
    USER_SERVICE_URL: `127.0.0.1:${ctx.system.services.users.port}`,
  };
  const scenarios: Scenario[] = [];
  const elysia = await ctx.spawn(
    "elysia-tutorial",
    [process.execPath, join(BENCH_DIR, "baselines/elysia-tutorial.ts")],
    env,
    "baseline listening",
  );
  scenarios.push(
    httpScenario(
      ctx,
      `baseline:elysia@${C}`,
      "baseline",
      "GET /users/{id}",
      "elysia-tutorial",
      `http://127.0.0.1:${elysia.port}`,
      ctx.workloads.getUser,
      C,
      ["elysia-tutorial", "users"],
    ),
  );
  const node = Bun.which("node");
  if (!node) ctx.skipped.push("Fastify baseline: node is not on PATH.");
  else {
    const fastify = await ctx.spawn(
      "fastify-node",
      [node, join(BENCH_DIR, "baselines/fastify-node.mjs")],
      env,
      "baseline listening",
    );
    scenarios.push(
      httpScenario(
        ctx,
        `baseline:fastify@${C}`,
        "baseline",
        "GET /users/{id}",
        "fastify-node",
        `http://127.0.0.1:${fastify.port}`,
        ctx.workloads.getUser,
        C,
        ["fastify-node", "users"],
      ),
    );
  }
  return scenarios;
}

/** `concurrency` GetUser calls in flight over one channel, from a Bun process of its own. */
async function grpcCeiling(
  port: number,
  userId: number,
  concurrency: number,
  durationS: number,
  warmupS: number,
): Promise<LoadResult> {
  const proc = Bun.spawn([process.execPath, join(BENCH_DIR, "ceilings/grpcCeiling.ts")], {
    env: {
      ...process.env,
      TARGET: `127.0.0.1:${port}`,
      CONCURRENCY: String(concurrency),
      DURATION_S: String(durationS),
      WARMUP_S: String(warmupS),
      USER_ID: String(userId),
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), (durationS + warmupS + 20) * 1000);
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`grpc ceiling printed no result:\n${out}${err}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as Record<string, number>;
  return {
    requests: r.requests!,
    durationS: r.durationS!,
    rps: Math.round(r.requests! / r.durationS!),
    errors: r.errors!,
    latencyMs: { p50: r.p50!, p99: r.p99!, p999: r.p999!, max: r.max!, mean: r.mean! },
    tool: "bench/ceilings/grpcCeiling.ts",
    notes: `${concurrency} calls in flight over one channel, client in its own Bun process`,
  };
}
