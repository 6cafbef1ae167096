// The targets table says why a target falls short, from the run's own numbers;
// a target that holds says nothing more. Synthetic results: no load is run here.
import { describe, expect, test } from "bun:test";
import type { ScenarioResult } from "./report";
import { targets } from "./results";
import { edgeShortfall, pathShortfall, roundRatios, rssShortfall } from "./shortfalls";
import { EDGE_FLOOR, SATURATED_EDGE } from "./wholePath";

const scenario = (
  group: ScenarioResult["group"],
  target: string,
  name: string,
  rpsRuns: number[],
  cpuUsPerRequest: Record<string, number>,
  rssMiB: Record<string, number> = {},
): ScenarioResult => ({
  id: `${group}:${target}:${name}`,
  group,
  name,
  target,
  connections: 64,
  runs: rpsRuns.length,
  rps: [...rpsRuns].sort((a, b) => a - b)[Math.floor(rpsRuns.length / 2)]!,
  latencyMs: { p50: 1, p99: 2, p999: 3 },
  errors: 0,
  requests: 1000,
  rpsRuns,
  rssMiB,
  cpuUsPerRequest,
  tool: "wrk",
});

const direct = scenario("path", "path-gateway", "GET /users/{id}", [4000, 5800, 6200], {
  "gateway-1": 160,
  users: 110,
  "dev-supervisor": 11,
});
const elysia = scenario("path", "path-elysia", "GET /users/{id}", [4000, 5000, 4000], {
  "path-elysia": 245,
  "path-elysia-users": 98,
});
const viaEnvoy = scenario("path", "path-envoy", "GET /users/{id}", [2400, 3480, 3720], {
  envoy: 145,
  "gateway-1": 95,
  "gateway-2": 95,
  users: 115,
  "dev-supervisor": 17,
});
const floor = scenario("edge", EDGE_FLOOR, "GET / (bare Bun.serve behind a minimal Envoy)", [9000], {
  [EDGE_FLOOR]: 100,
  "bun-serve-edge": 15,
});
const shippedBare = scenario("edge", SATURATED_EDGE, "GET / (bare Bun.serve behind the shipped Envoy)", [9000], {
  [SATURATED_EDGE]: 105,
  "bun-serve-edge": 15,
});

describe("why a target falls short", () => {
  test("rounds are compared pairwise, in order", () => {
    expect(roundRatios(direct, elysia)).toEqual([1, 1.16, 1.55]);
  });

  test("a whole-path ratio: the same comparison per CPU-second, then round by round", () => {
    expect(pathShortfall(direct, elysia)).toBe(
      "1.22x per CPU-second (281 against 343 µs a request, every process on each path); round by round 1.00x, 1.16x, 1.55x",
    );
  });

  test("through Envoy: the direct path plus Envoy's own floor bounds the ratio", () => {
    const why = edgeShortfall(viaEnvoy, direct, floor, shippedBare);
    // 281 / (281 + 100) = 0.74: below the 0.8 goal before anything of ours is added.
    expect(why).toContain("Envoy alone costs 100 µs a request on this machine");
    expect(why).toContain("the shipped one there 105");
    expect(why).toContain("Envoy's floor allows at most 0.74x");
    expect(why).toContain("through the shipped Envoy and 2 replicas the path took 467 µs (0.60x)");
    // 467 - 145 = 322 behind Envoy against 281 direct.
    expect(why).toContain(
      "without Envoy's own 145 µs, the processes behind it took 322 µs a request against 281 direct (1.15x)",
    );
    expect(why).toEndWith("round by round 0.60x, 0.60x, 0.60x");
    // Without the floor scenario, what was measured is still said.
    expect(edgeShortfall(viaEnvoy, direct, undefined, undefined)).not.toContain("Envoy alone");
  });

  test("RSS: what the process held before its first request, against the cap", () => {
    // 100 MB is 95.4 MiB: 80 MiB idle is 84 % of it.
    expect(rssShortfall(100, 140, { rss: 80, file: 42.4 }, { rss: 38, file: 20.6 })).toBe(
      "80 MiB before its first request, 84 % of the cap, 42 MiB of it pages of the bun executable " +
        "(a bare Bun.serve process: 38 MiB, 21 MiB of it the executable's); load added 60 MiB",
    );
    // Where the file-backed part was not read (an older report), only the totals.
    expect(rssShortfall(100, 140, { rss: 80 }, { rss: 38 })).toBe(
      "80 MiB before its first request, 84 % of the cap (a bare Bun.serve process: 38 MiB); load added 60 MiB",
    );
    expect(rssShortfall(100, 140, undefined, { rss: 38 })).toBe("140 MiB under load; idle not measured");
  });
});

describe("the targets table", () => {
  const post = (s: ScenarioResult, rpsRuns: number[]) => ({
    ...s,
    name: "POST /users/",
    id: `${s.id}:post`,
    rpsRuns,
    rps: rpsRuns[1]!,
  });
  const scenarios = [
    { ...direct, rssMiB: { "gateway-1": 140, users: 70 } },
    elysia,
    viaEnvoy,
    post(direct, [5000, 5000, 5000]),
    post(elysia, [4000, 4000, 4000]),
    floor,
    shippedBare,
  ];
  const checks = targets(scenarios, 64, [1500, 1700, 1600], null, {
    "gateway-1": { rss: 85, file: 44 },
    users: { rss: 75, file: 43 },
    "bun-serve": { rss: 38, file: 21 },
  });
  const check = (name: string) => checks.find((t) => t.name === name)!;

  test("a target that falls short says why; one that holds does not", () => {
    expect(check("whole path GET vs tutorial Elysia path")).toMatchObject({ ok: false });
    expect(check("whole path GET vs tutorial Elysia path").why).toStartWith("1.22x per CPU-second");
    expect(check("whole path POST vs tutorial Elysia path")).toMatchObject({ ok: true });
    expect(check("whole path POST vs tutorial Elysia path").why).toBeUndefined();
    expect(check("whole path through the shipped Envoy vs direct (GET)").why).toContain("at most 0.74x");
    expect(check("gateway RSS under load").actual).toBe("140 MiB (147 MB) in GET /users/{id} (path-gateway)");
    expect(check("gateway RSS under load").why).toBe(
      "85 MiB before its first request, 89 % of the cap, 44 MiB of it pages of the bun executable " +
        "(a bare Bun.serve process: 38 MiB, 21 MiB of it the executable's); load added 55 MiB",
    );
    expect(check("users service RSS under load")).toMatchObject({ ok: true });
    expect(check("users service RSS under load").why).toBeUndefined();
    expect(check("whole system ready after `bun run dev`")).toMatchObject({ ok: true });
    expect(check("whole system ready after `bun run dev`").why).toBeUndefined();
    // Not measured is neither.
    expect(check("worker RSS under load")).toMatchObject({ ok: null });
    expect(check("worker RSS under load").why).toBeUndefined();
  });
});
