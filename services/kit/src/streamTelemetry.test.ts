// Server-streaming calls get what unary calls get: on the server, a span for the
// stream's life and the gRPC server metrics with the final code; on the client
// (ServiceClient.stream), a client span and the client latency metric. Spans go
// to a local OTLP/HTTP receiver, exactly as they would to a collector.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { jobs, SERVICE_NAMES, type Job__Output } from "@platform/proto";
import { ServiceClient } from "./client";
import { NotFoundError } from "./errors";
import { metricsRegistry } from "./metrics";
import { startGrpcServer, type RunningGrpcServer } from "./server";
import { serverStream } from "./serverStream";
import { eventually, quietLogger } from "./testing";
import { startTracing, type Tracing } from "./tracing";

interface OtlpSpan {
  name: string;
  kind: number;
  attributes: { key: string; value: { intValue?: string | number; stringValue?: string } }[];
}

const received: OtlpSpan[] = [];
const receiver = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(request) {
    const body = (await request.json()) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
    for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) received.push(...scope.spans);
    return Response.json({});
  },
});

let tracing: Tracing;
let server: RunningGrpcServer;
let client: ServiceClient<typeof jobs.JobsService.service>;

beforeAll(async () => {
  const logger = quietLogger();
  tracing = await startTracing(
    "stream-test",
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
      OTEL_TRACES_SAMPLER_ARG: 1,
      OTEL_BSP_SCHEDULE_DELAY: 50,
    },
    logger,
  );
  const watch = serverStream<{ id: string }, object>("WatchJob", logger, async (request, ctx, send) => {
    if (request.id === "404") throw new NotFoundError("job 404 not found");
    send({ id: request.id, status: "JOB_STATUS_PENDING" });
    // Job 7 streams until the client goes away.
    if (request.id === "7")
      return new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    send({ id: request.id, status: "JOB_STATUS_SUCCEEDED" });
  });
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs: 500,
    logger,
    services: [{ name: SERVICE_NAMES.jobs, definition: jobs.JobsService.service, implementation: { WatchJob: watch } }],
  });
  client = new ServiceClient(SERVICE_NAMES.jobs, `127.0.0.1:${server.port}`, jobs.JobsService.service, {
    timeoutMs: 5_000,
  });
});
afterAll(async () => {
  client.close();
  await server.shutdown();
  await tracing.shutdown();
  receiver.stop(true);
});

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) =>
      Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
    )
    .reduce((sum, v) => sum + v.value, 0);
}

/** Opens the stream and resolves with its messages and final status code. */
function watch(id: string, onFirst?: (stream: grpc.ClientReadableStream<Job__Output>) => void) {
  const stream = client.stream("WatchJob", { id }, { requestId: `watch-${id}` }, new Date(Date.now() + 10_000));
  const seen: Job__Output[] = [];
  return new Promise<{ seen: Job__Output[]; code: number }>((resolve) => {
    stream.on("data", (job: Job__Output) => {
      seen.push(job);
      if (seen.length === 1) onFirst?.(stream);
    });
    stream.on("status", (status: grpc.StatusObject) => resolve({ seen, code: status.code }));
    stream.on("error", () => {});
  });
}

test("server streams count and time by final code, leave nothing in flight, and get server and client spans", async () => {
  const server = { grpc_service: "jobs.v1.JobsService", grpc_method: "WatchJob" };
  const handled = (code: string) =>
    metricValue("grpc_server_handled_total", { ...server, grpc_type: "server_stream", grpc_code: code });
  const clientCount = (code: string) => metricValue("grpc_client_handling_seconds", { ...server, grpc_code: code });
  const before = {
    ok: await handled("OK"),
    notFound: await handled("NOT_FOUND"),
    cancelled: await handled("CANCELLED"),
    clientOk: await clientCount("OK"),
    clientNotFound: await clientCount("NOT_FOUND"),
  };

  const ok = await watch("1");
  expect(ok.code).toBe(grpc.status.OK);
  expect(ok.seen).toHaveLength(2);
  expect((await watch("404")).code).toBe(grpc.status.NOT_FOUND);
  expect((await watch("7", (stream) => stream.cancel())).code).toBe(grpc.status.CANCELLED);

  expect(await handled("OK")).toBe(before.ok + 1);
  expect(await handled("NOT_FOUND")).toBe(before.notFound + 1);
  // The server learns of the cancel after the client has moved on: wait for this stream's count, then nothing is in flight.
  await eventually(
    async () => ((await handled("CANCELLED")) > before.cancelled ? true : undefined),
    5_000,
    "the cancelled stream to be counted",
  );
  expect(await metricValue("grpc_server_in_flight", server)).toBe(0);
  // The client histogram's count (and its sum and buckets) grew by one per stream, labelled by its final code.
  expect(await clientCount("OK")).toBeGreaterThan(before.clientOk);
  expect(await clientCount("NOT_FOUND")).toBeGreaterThan(before.clientNotFound);

  const codeOf = (span: OtlpSpan) =>
    Number(span.attributes.find((a) => a.key === "rpc.grpc.status_code")?.value.intValue);
  const spans = await eventually(
    async () => {
      const mine = received.filter((s) => s.name === "jobs.v1.JobsService/WatchJob");
      return mine.length >= 6 ? mine : undefined;
    },
    10_000,
    "the stream spans",
  );
  const SERVER = 2;
  const CLIENT = 3;
  expect(
    spans
      .filter((s) => s.kind === SERVER)
      .map(codeOf)
      .sort(),
  ).toEqual([grpc.status.OK, grpc.status.CANCELLED, grpc.status.NOT_FOUND].sort());
  expect(
    spans
      .filter((s) => s.kind === CLIENT)
      .map(codeOf)
      .sort(),
  ).toEqual([grpc.status.OK, grpc.status.CANCELLED, grpc.status.NOT_FOUND].sort());
});
