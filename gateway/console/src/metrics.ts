// Turns the gateway's traffic totals (GET /ui/api/metrics: cumulative request
// count and latency histogram of the replica that answered) into the two numbers
// the system page shows: requests per second and latency, from the change
// between two samples. Pure, so it is unit-tested under bun.
import type { TrafficSummary } from "@platform/client";

/** The body of GET /ui/api/metrics, as the gateway declares it. */
export type { TrafficSummary };

export interface HttpSample {
  at: number;
  requests: number;
  durationSum: number;
  durationCount: number;
  /** Cumulative counts per histogram bucket upper bound (seconds). */
  buckets: Map<number, number>;
}

export function sampleFromSummary(summary: TrafficSummary): HttpSample {
  const { http } = summary;
  return {
    at: summary.at,
    requests: http.requests,
    durationSum: http.duration_seconds_sum,
    durationCount: http.duration_seconds_count,
    buckets: new Map(http.duration_buckets.map((b) => [b.le ?? Infinity, b.count])),
  };
}

export interface HttpRates {
  requestsPerSecond: number;
  meanLatencyMs: number | null;
  /** Upper bound of the bucket holding the 95th percentile, in ms. */
  p95LatencyMs: number | null;
}

export function ratesBetween(before: HttpSample, after: HttpSample): HttpRates {
  const seconds = Math.max(0.001, (after.at - before.at) / 1000);
  const count = after.durationCount - before.durationCount;
  const requests = Math.max(0, after.requests - before.requests);
  let p95: number | null = null;
  if (count > 0) {
    const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
    for (const bound of bounds) {
      const inBucket = (after.buckets.get(bound) ?? 0) - (before.buckets.get(bound) ?? 0);
      if (inBucket >= 0.95 * count) {
        p95 = bound === Infinity ? null : bound * 1000;
        break;
      }
    }
  }
  return {
    requestsPerSecond: requests / seconds,
    meanLatencyMs: count > 0 ? ((after.durationSum - before.durationSum) / count) * 1000 : null,
    p95LatencyMs: p95,
  };
}
