// Why a target falls short, in the same run's own numbers: the report prints it
// beside every target that does not hold (issue 15: "report each, with why where
// one falls short").
import { frontCpu, type ScenarioResult } from "./report";
import { cpuSum } from "./reportPath";

const times = (n: number) => `${n.toFixed(2)}x`;

/** Each round of `a` against the same round of `b`: rounds are interleaved, so each pair ran close in time. */
export function roundRatios(a: ScenarioResult, b: ScenarioResult): number[] {
  const n = Math.min(a.rpsRuns.length, b.rpsRuns.length);
  return Array.from({ length: n }, (_, i) => a.rpsRuns[i]! / b.rpsRuns[i]!);
}

/** req/s of `a` against `b` short of its goal: how the ratio moved round by round. */
export const roundsShortfall = (a: ScenarioResult, b: ScenarioResult): string =>
  `round by round ${roundRatios(a, b).map(times).join(", ")}`;

/** A whole-path ratio short of its goal: the same comparison per CPU-second, and round by round. */
export function pathShortfall(path: ScenarioResult, base: ScenarioResult): string {
  const mine = cpuSum(path);
  const theirs = cpuSum(base);
  const perCore =
    mine && theirs
      ? `${times(theirs / mine)} per CPU-second (${mine} against ${theirs} µs a request, every process on each path)`
      : undefined;
  return [perCore, roundsShortfall(path, base)].filter(Boolean).join("; ");
}

/**
 * Through Envoy against direct, short of its goal. With CPU the limit, the direct path's
 * CPU per request plus Envoy's own floor (a minimal configuration in front of a bare
 * Bun.serve: nothing of ours) bounds the ratio, whatever the shipped configuration does.
 */
export function edgeShortfall(
  viaEnvoy: ScenarioResult,
  direct: ScenarioResult,
  floor: ScenarioResult | undefined,
  shippedBare: ScenarioResult | undefined,
): string {
  const path = cpuSum(direct);
  const withEnvoy = cpuSum(viaEnvoy);
  const floorCpu = floor?.cpuUsPerRequest[floor.target];
  const parts: string[] = [];
  if (path && floorCpu !== undefined) {
    const shipped = shippedBare?.cpuUsPerRequest[shippedBare.target];
    parts.push(
      `Envoy alone costs ${floorCpu} µs a request on this machine (a minimal configuration in front of a bare Bun.serve` +
        `${shipped === undefined ? "" : `; the shipped one there ${shipped}`}), the whole direct path ${path}: ` +
        `with CPU the limit, Envoy's floor allows at most ${times(path / (path + floorCpu))}`,
    );
  }
  const replicas = Object.keys(viaEnvoy.cpuUsPerRequest).filter((process) => process.startsWith("gateway-")).length;
  if (path && withEnvoy)
    parts.push(
      `through the shipped Envoy and ${replicas === 1 ? "one replica" : `${replicas} replicas`} the path took ${withEnvoy} µs (${times(path / withEnvoy)})`,
    );
  // The rest of the gap: the same processes cost more per request with Envoy beside them on the cores.
  const envoyCpu = frontCpu(viaEnvoy);
  if (path && withEnvoy && envoyCpu !== undefined)
    parts.push(
      `without Envoy's own ${envoyCpu} µs, the processes behind it took ${withEnvoy - envoyCpu} µs a request against ` +
        `${path} direct (${times((withEnvoy - envoyCpu) / path)}): sharing the cores with Envoy at a lower rate, each serves fewer requests per wake-up`,
    );
  parts.push(roundsShortfall(viaEnvoy, direct));
  return parts.join("; ");
}

/** A process's RSS before its first request, MiB, and of it the file-backed pages (the `bun` executable's) when read. */
export interface IdleRss {
  rss: number;
  file?: number | undefined;
}

/**
 * A process over its RSS cap under load: how much of the cap it held before its first request, how much of
 * that was the executable's pages (which no change of ours shrinks), and the same for a bare Bun.serve process.
 */
export function rssShortfall(
  capMB: number,
  underLoadMiB: number,
  idle: IdleRss | undefined,
  bareBun: IdleRss | undefined,
): string {
  if (idle === undefined) return `${underLoadMiB} MiB under load; idle not measured`;
  const capMiB = capMB / 1.048576;
  const ofIt = (r: IdleRss, what: string) => (r.file === undefined ? "" : `, ${Math.round(r.file)} MiB of it ${what}`);
  const bare =
    bareBun === undefined ? "" : ` (a bare Bun.serve process: ${bareBun.rss} MiB${ofIt(bareBun, "the executable's")})`;
  return (
    `${idle.rss} MiB before its first request, ${Math.round((100 * idle.rss) / capMiB)} % of the cap` +
    `${ofIt(idle, "pages of the bun executable")}${bare}; load added ${Math.round(underLoadMiB - idle.rss)} MiB`
  );
}
