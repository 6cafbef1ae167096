// The worker's metrics and traces, as WorkerHooks: counts of jobs claimed,
// succeeded and failed by kind, claim errors, the jobs running now, and (when
// tracing is on) one span per job run with its jobs-service calls as children.
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { SpanKind, startSpan } from "@platform/kit/tracing";
import type { Job__Output } from "@platform/proto/jobs";
import client from "prom-client";
import type { WorkerHooks } from "./worker";

const kindLabel = ["kind"] as const;
export const workerMetrics = {
  claimed: new client.Counter({
    name: "worker_jobs_claimed_total",
    help: "Jobs this worker claimed, by kind.",
    labelNames: kindLabel,
  }),
  succeeded: new client.Counter({
    name: "worker_jobs_succeeded_total",
    help: "Jobs this worker completed, by kind.",
    labelNames: kindLabel,
  }),
  failed: new client.Counter({
    name: "worker_jobs_failed_total",
    help: "Jobs this worker reported failed (or released on stop), by kind.",
    labelNames: kindLabel,
  }),
  claimErrors: new client.Counter({
    name: "worker_claim_errors_total",
    help: "ClaimJob calls that failed (the jobs service unreachable or refusing).",
  }),
  running: new client.Gauge({ name: "worker_jobs_running", help: "Jobs this worker is running right now." }),
};

export function observabilityHooks(): WorkerHooks {
  /** The kind of each job running, for labelling its outcome. */
  const kinds = new Map<string, string>();
  const kindOf = (request: object) => kinds.get(String((request as { job_id?: unknown }).job_id)) ?? "unknown";
  return {
    async job(job: Job__Output, run) {
      kinds.set(job.id, job.kind);
      workerMetrics.claimed.inc({ kind: job.kind });
      workerMetrics.running.inc();
      const { span, ctx } = startSpan(`job ${job.kind}`, SpanKind.CONSUMER, ROOT_CONTEXT, {
        "job.id": job.id,
        "job.kind": job.kind,
        "job.attempt": job.attempts,
      });
      try {
        await context.with(ctx, run);
      } finally {
        workerMetrics.running.dec();
        kinds.delete(job.id);
        span?.end();
      }
    },
    async call(method, request, send) {
      try {
        const response = await send();
        if (method === "CompleteJob") workerMetrics.succeeded.inc({ kind: kindOf(request) });
        if (method === "CompleteJobs")
          for (const item of (request as { items: Array<{ job_id: string; failed?: boolean }> }).items)
            (item.failed ? workerMetrics.failed : workerMetrics.succeeded).inc({ kind: kindOf(item) });
        if (method === "FailJob") {
          workerMetrics.failed.inc({ kind: kindOf(request) });
          // Called inside the job's context: the job's span records the outcome.
          trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: "job failed" });
        }
        return response;
      } catch (error) {
        if (method === "ClaimJob") workerMetrics.claimErrors.inc();
        throw error;
      }
    },
  };
}
