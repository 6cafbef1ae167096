// The bench's settings, from the environment, parsed once.
import { join } from "node:path";
import { z } from "zod";

const seconds = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const match = /^(\d+)(s?)$/.exec(v.trim());
      if (!match) {
        ctx.addIssue({ code: "custom", message: "must be whole seconds, e.g. 10 or 10s" });
        return z.NEVER;
      }
      return Number(match[1]);
    });

const flag = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "1" || v.toLowerCase() === "true"));

const schema = z.object({
  BENCH_QUICK: flag,
  BENCH_DURATION: z.string().optional(),
  BENCH_WARMUP: z.string().optional(),
  BENCH_REPEATS: z.coerce.number().int().min(1).max(9).optional(),
  BENCH_PATH_REPEATS: z.coerce.number().int().min(1).max(15).optional(),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(4096).default(64),
  BENCH_SWEEP: z.string().default("1,16,64,256"),
  BENCH_GATEWAYS: z.coerce.number().int().min(1).max(8).default(2),
  BENCH_ONLY: z.string().optional(),
  BENCH_OUT: z.string().optional(),
  BENCH_LOADGEN: z.enum(["wrk", "autocannon"]).optional(),
  BENCH_PROFILE: flag,
  BENCH_ENVOY_MODULE: z.string().optional(),
});

export const GROUPS = [
  "startup",
  "ceiling",
  "direct",
  "envoy",
  "sweep",
  "baseline",
  "path",
  "edge",
  "profile",
  "jobs",
] as const;
export type Group = (typeof GROUPS)[number];

export interface BenchOptions {
  quick: boolean;
  durationS: number;
  warmupS: number;
  repeats: number;
  /** Runs of each whole-path scenario: issue 15's headline ratios, the noisiest on shared cores. */
  pathRepeats: number;
  connections: number;
  sweep: number[];
  gateways: number;
  groups: Set<Group>;
  outDir: string;
  loadGenerator: "wrk" | "autocannon" | undefined;
  profile: boolean;
  envoyModule: string | undefined;
}

export function loadOptions(
  env: Record<string, string | undefined> = process.env,
  defaultOut = join(import.meta.dir, "..", "results"),
): BenchOptions {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `bench: bad settings:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  const e = parsed.data;
  const quick = e.BENCH_QUICK ?? false;
  const secondsOf = (name: "BENCH_DURATION" | "BENCH_WARMUP", fallback: number) => {
    const parsed = seconds(fallback).safeParse(e[name]);
    if (!parsed.success) throw new Error(`bench: bad settings:\n  ${name}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  };
  const durationS = secondsOf("BENCH_DURATION", quick ? 1 : 5);
  const warmupS = secondsOf("BENCH_WARMUP", quick ? 0 : 1);
  const defaultGroups: Group[] = quick ? ["startup", "ceiling", "direct", "path", "jobs"] : [...GROUPS];
  const groups = new Set<Group>(
    e.BENCH_ONLY
      ? e.BENCH_ONLY.split(",").map((g) => {
          const name = g.trim() as Group;
          if (!GROUPS.includes(name))
            throw new Error(`bench: BENCH_ONLY: unknown group ${g} (one of ${GROUPS.join(", ")})`);
          return name;
        })
      : defaultGroups,
  );
  return {
    quick,
    durationS: Math.max(1, durationS),
    warmupS,
    repeats: e.BENCH_REPEATS ?? (quick ? 1 : 3),
    pathRepeats: e.BENCH_PATH_REPEATS ?? (quick ? 1 : Math.max(e.BENCH_REPEATS ?? 3, 5)),
    connections: e.BENCH_CONNECTIONS,
    sweep: e.BENCH_SWEEP.split(",")
      .map((c) => Number(c.trim()))
      .filter((c) => Number.isInteger(c) && c > 0),
    gateways: e.BENCH_GATEWAYS,
    groups,
    outDir: e.BENCH_OUT || defaultOut,
    loadGenerator: e.BENCH_LOADGEN,
    profile: groups.has("profile") && (e.BENCH_PROFILE ?? !quick),
    envoyModule: e.BENCH_ENVOY_MODULE,
  };
}
