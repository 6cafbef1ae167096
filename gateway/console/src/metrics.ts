// Reads the gateway's Prometheus text (GET /metrics) into the two numbers the
// system page shows: requests per second and latency, from the change between
// two samples. Pure, so it is unit-tested under bun.

export interface HttpSample {
  at: number;
  requests: number;
  durationSum: number;
  durationCount: number;
  /** Cumulative counts per histogram bucket upper bound (seconds). */
  buckets: Map<number, number>;
}

export function parseHttpMetrics(text: string, at: number): HttpSample {
  const sample: HttpSample = { at, requests: 0, durationSum: 0, durationCount: 0, buckets: new Map() };
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labels = "", raw] = match;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    if (name === "http_requests_total") sample.requests += value;
    else if (name === "http_request_duration_seconds_sum") sample.durationSum += value;
    else if (name === "http_request_duration_seconds_count") sample.durationCount += value;
    else if (name === "http_request_duration_seconds_bucket") {
      const le = /le="([^"]+)"/.exec(labels)?.[1];
      if (le === undefined) continue;
      const bound = le === "+Inf" ? Infinity : Number(le);
      sample.buckets.set(bound, (sample.buckets.get(bound) ?? 0) + value);
    }
  }
  return sample;
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
