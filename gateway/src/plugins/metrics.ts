// Prometheus metrics for the HTTP side: requests, server errors and latency per
// route template (never the raw path: ids would explode the label set) and
// status, requests in flight, and GET /metrics (no auth: scrape it over the
// cluster network only). Upstream call latency and process metrics come from
// the same registry (kit).
import { cellCounter, cellGauge, metricsRegistry, type MetricCell } from "@platform/kit";
import { Elysia } from "elysia";
import client from "prom-client";

const labelNames = ["method", "route", "status"] as const;
// Counters and the gauge are cell-fed (kit): a request adds to plain numbers,
// prom-client sees the totals when /metrics is read.
const { counter: requests, cells: requestCells } = cellCounter({
  name: "http_requests_total",
  help: "HTTP requests served, by route template and status.",
  labelNames,
});
const { cells: serverErrorCells } = cellCounter({
  name: "http_request_errors_total",
  help: "HTTP requests answered with a 5xx status.",
  labelNames,
});
const duration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "Time from receiving an HTTP request to sending its response.",
  labelNames,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
const inFlight = cellGauge({
  name: "http_requests_in_flight",
  help: "HTTP requests being served right now.",
}).cells.cell("", () => ({}));

interface Series {
  labels: Record<(typeof labelNames)[number], string>;
  requests: MetricCell;
  serverErrors: MetricCell | undefined;
}
/** One entry per method, route template and status: bounded like the label sets themselves. */
const series = new Map<string, Series>();
function seriesFor(method: string, route: string, status: number): Series {
  const key = `${method} ${status} ${route}`;
  let found = series.get(key);
  if (!found) {
    const labels = { method, route, status: String(status) };
    found = {
      labels,
      requests: requestCells.cell(key, () => labels),
      serverErrors: status >= 500 ? serverErrorCells.cell(key, () => labels) : undefined,
    };
    series.set(key, found);
  }
  return found;
}

const startTimes = new WeakMap<Request, number>();

/** Requests that matched no route share one label value. */
export const UNMATCHED_ROUTE = "unmatched";

export const httpMetrics = () =>
  new Elysia({ name: "http-metrics" })
    .onRequest(({ request }) => {
      inFlight.value++;
      startTimes.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const started = startTimes.get(request);
      if (started === undefined) return;
      startTimes.delete(request);
      inFlight.value--;
      const status = typeof set.status === "number" ? set.status : 200;
      const found = seriesFor(request.method, route || UNMATCHED_ROUTE, status);
      found.requests.value++;
      if (found.serverErrors) found.serverErrors.value++;
      duration.observe(found.labels, (performance.now() - started) / 1000);
    })
    .get(
      "/metrics",
      async () =>
        new Response(await metricsRegistry.metrics(), { headers: { "content-type": metricsRegistry.contentType } }),
      { detail: { hide: true } },
    );

/** Cumulative HTTP traffic of this process, for the console's system page (GET /ui/api/metrics). */
export interface HttpTrafficTotals {
  requests: number;
  duration_seconds_sum: number;
  duration_seconds_count: number;
  /** Cumulative counts per latency bucket; `le` in seconds, null for +Inf. */
  duration_buckets: Array<{ le: number | null; count: number }>;
}

/** Totals over every route and status, read from the same metrics /metrics exports. */
export async function httpTrafficTotals(): Promise<HttpTrafficTotals> {
  const [requestValues, durationValues] = await Promise.all([requests.get(), duration.get()]);
  const totals: HttpTrafficTotals = {
    requests: 0,
    duration_seconds_sum: 0,
    duration_seconds_count: 0,
    duration_buckets: [],
  };
  for (const { value } of requestValues.values) totals.requests += value;
  const buckets = new Map<number, number>();
  for (const { metricName, labels, value } of durationValues.values) {
    if (metricName === "http_request_duration_seconds_sum") totals.duration_seconds_sum += value;
    else if (metricName === "http_request_duration_seconds_count") totals.duration_seconds_count += value;
    else if (metricName === "http_request_duration_seconds_bucket") {
      const bound = (labels as Record<string, string | number | undefined>).le;
      const le = bound === "+Inf" ? Infinity : Number(bound);
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  totals.duration_buckets = [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([le, count]) => ({ le: le === Infinity ? null : le, count }));
  return totals;
}
