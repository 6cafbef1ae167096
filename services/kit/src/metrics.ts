// Prometheus metrics: one registry per process (prom-client's default), the
// gRPC metric families every server and client records, and a tiny HTTP
// server that exposes them on their own port.
import client from "prom-client";
import type { Logger } from "./logger";

export const metricsRegistry = client.register;

/** One default for every process: each runs in its own pod; `bun run dev` assigns distinct ports. */
export const DEFAULT_METRICS_PORT = 9464;

let processMetricsOn = false;
/** Process metrics (CPU, memory, fds, event-loop lag, heap); once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  client.collectDefaultMetrics({ register: metricsRegistry });
}

type Labels = Record<string, string>;

/**
 * One labelled series of a counter or gauge that a hot path updates: a plain
 * number (no label hashing or validation per call), handed to prom-client when
 * the metric is read (collect), so /metrics shows exactly what was counted.
 */
export class MetricCell {
  value = 0;
  constructor(readonly labels: Labels) {}
}

/** The cells of one metric, one per label set, made once and reused. */
export class MetricCells {
  private readonly cells = new Map<string, MetricCell>();
  /** `key` identifies the label set (callers build it from the label values). */
  cell(key: string, labels: () => Labels): MetricCell {
    let cell = this.cells.get(key);
    if (!cell) {
      cell = new MetricCell(labels());
      this.cells.set(key, cell);
    }
    return cell;
  }
  values(): IterableIterator<MetricCell> {
    return this.cells.values();
  }
}

/** A counter fed from cells: what they counted since the last read is added on each read. */
export function cellCounter<L extends string>(
  config: client.CounterConfiguration<L>,
): { counter: client.Counter<L>; cells: MetricCells } {
  const cells = new MetricCells();
  const counter = new client.Counter<L>({
    ...config,
    collect() {
      for (const cell of cells.values()) {
        if (cell.value === 0) continue;
        this.inc(cell.labels as Partial<Record<L, string>>, cell.value);
        cell.value = 0;
      }
    },
  });
  return { counter, cells };
}

/** A gauge fed from cells: each read shows their current values. */
export function cellGauge<L extends string>(
  config: client.GaugeConfiguration<L>,
): { gauge: client.Gauge<L>; cells: MetricCells } {
  const cells = new MetricCells();
  const gauge = new client.Gauge<L>({
    ...config,
    collect() {
      for (const cell of cells.values()) this.set(cell.labels as Partial<Record<L, string>>, cell.value);
    },
  });
  return { gauge, cells };
}

const grpcLabels = ["grpc_service", "grpc_method", "grpc_type"] as const;
const grpcCodeLabels = ["grpc_service", "grpc_method", "grpc_type", "grpc_code"] as const;

// Names follow go-grpc-prometheus, so the usual dashboards work unchanged.
// The counters and the in-flight gauge are cell-fed: a call touches plain numbers.
const serverStarted = cellCounter({
  name: "grpc_server_started_total",
  help: "RPCs started on the server.",
  labelNames: grpcLabels,
});
const serverHandled = cellCounter({
  name: "grpc_server_handled_total",
  help: "RPCs completed on the server, by status code.",
  labelNames: grpcCodeLabels,
});
const serverInFlight = cellGauge({
  name: "grpc_server_in_flight",
  help: "RPCs being served right now.",
  labelNames: ["grpc_service", "grpc_method"] as const,
});

export const grpcServerMetrics = {
  started: serverStarted.counter,
  startedCells: serverStarted.cells,
  handled: serverHandled.counter,
  handledCells: serverHandled.cells,
  seconds: new client.Histogram({
    name: "grpc_server_handling_seconds",
    help: "Time from receiving an RPC to sending its status.",
    labelNames: grpcCodeLabels,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  inFlight: serverInFlight.gauge,
  inFlightCells: serverInFlight.cells,
};

export const grpcClientMetrics = {
  seconds: new client.Histogram({
    name: "grpc_client_handling_seconds",
    help: "Time from starting an outgoing RPC to receiving its status (retries included), by upstream status code.",
    labelNames: ["grpc_service", "grpc_method", "grpc_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
};

/** "/users.v1.UsersService/GetUser" → ["users.v1.UsersService", "GetUser"]. */
export function splitMethodPath(path: string): [service: string, method: string] {
  const slash = path.lastIndexOf("/");
  return [path.slice(1, slash), path.slice(slash + 1)];
}

export interface RunningMetricsServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Serves GET /metrics (Prometheus text format) and GET /healthz (200 while the
 * process is alive: a liveness probe for processes without an HTTP API, such
 * as the worker) on its own port; 0 picks a free one.
 */
export function startMetricsServer(options: { host: string; port: number; logger: Logger }): RunningMetricsServer {
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (request.method === "GET" && pathname === "/healthz") return new Response("ok\n");
      if (request.method !== "GET" || pathname !== "/metrics") return new Response("not found\n", { status: 404 });
      return new Response(await metricsRegistry.metrics(), {
        headers: { "content-type": metricsRegistry.contentType },
      });
    },
  });
  const port = server.port ?? options.port;
  options.logger.info({ port }, "metrics listening");
  return { port, stop: () => server.stop() };
}
