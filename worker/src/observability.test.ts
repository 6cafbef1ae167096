// The worker process, as it runs in production, against a real jobs server:
// /healthz answers on its metrics port, /metrics counts the jobs it ran, and
// with an OTLP endpoint each job is a span with its jobs-service calls inside.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eventually } from "@platform/kit/testing";
import { startWorker, type RunningComponent } from "@platform/harness";
import { startJobsFixture, type JobsFixture } from "@platform/jobs/testing";

setDefaultTimeout(30_000);

let jobs: JobsFixture;
let worker: RunningComponent;
beforeAll(async () => {
  jobs = await startJobsFixture("sqlite");
  worker = await startWorker("worker-observed", {
    JOBS_SERVICE_URL: jobs.target,
    WORKER_POLL_MS: "50",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
  });
});
afterAll(async () => {
  await worker?.stop();
  await jobs.stop();
});

const sample = (text: string, name: string) =>
  Number(new RegExp(`^${name.replace(/[{}]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);

test("/healthz is 200 and /metrics counts a job the worker ran", async () => {
  expect(worker.metricsPort).toBeGreaterThan(0);
  const base = `http://127.0.0.1:${worker.metricsPort}`;
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);

  const echo = await jobs.create({ job_name: "observed", kind: "echo", payload: '{"x":1}' });
  const failing = await jobs.create({ job_name: "observed-fail", kind: "fail", max_attempts: 1 });
  await eventually(async () => ((await jobs.get(echo.id)).status === "JOB_STATUS_SUCCEEDED" ? true : undefined));
  await eventually(async () => ((await jobs.get(failing.id)).status === "JOB_STATUS_FAILED" ? true : undefined));

  const text = await eventually(async () => {
    const body = await (await fetch(`${base}/metrics`)).text();
    return sample(body, 'worker_jobs_failed_total{kind="fail"}') === 1 ? body : undefined;
  });
  expect(sample(text, 'worker_jobs_claimed_total{kind="echo"}')).toBe(1);
  expect(sample(text, 'worker_jobs_succeeded_total{kind="echo"}')).toBe(1);
  expect(sample(text, 'worker_jobs_claimed_total{kind="fail"}')).toBe(1);
  expect(sample(text, "worker_jobs_running")).toBe(0);
  expect(sample(text, "worker_claim_errors_total")).toBe(0);
  // The gRPC client metrics of its calls to the jobs service come along.
  expect(text).toContain(
    'grpc_client_handling_seconds_count{grpc_service="jobs.v1.JobsService",grpc_method="CompleteJobs",grpc_code="OK"}',
  );
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

test("with OTEL_EXPORTER_OTLP_ENDPOINT set, each job run is a span and its calls are its children", async () => {
  const spans: (OtlpSpan & { service: string })[] = [];
  const receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = (await request.json()) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      for (const resource of body.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "?";
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      return Response.json({});
    },
  });
  // The first worker is still polling; stop it so this one takes the job.
  await worker.stop();
  const traced = await startWorker("worker-traced", {
    JOBS_SERVICE_URL: jobs.target,
    WORKER_POLL_MS: "50",
    HOST: "127.0.0.1",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
    OTEL_BSP_SCHEDULE_DELAY: "100",
  });
  try {
    await jobs.create({ job_name: "traced", kind: "echo", payload: "1" });
    const run = await eventually(async () => spans.find((s) => s.name === "job echo"));
    expect(run.service).toBe("jobs-worker");
    expect(run.kind).toBe(5); // SPAN_KIND_CONSUMER
    const complete = await eventually(async () => spans.find((s) => s.name === "jobs.v1.JobsService/CompleteJobs"));
    expect(complete).toMatchObject({ traceId: run.traceId, parentSpanId: run.spanId, kind: 3 }); // SPAN_KIND_CLIENT
  } finally {
    await traced.stop();
    receiver.stop(true);
  }
});
