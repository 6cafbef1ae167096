// GET /ui/api/pipelines/:id/events: one server-sent-events stream per pipeline
// page. The pipelines service has no watch of its own, so the gateway follows
// the pipeline's step jobs with the jobs service's WatchJob streams (many gRPC
// streams over one HTTP/2 channel, where a browser would need one connection
// each and runs out at six) and sends the pipeline, with each step showing its
// job's latest status, whenever that view changes. A slow re-read of the
// pipeline (gateway to service, not the page) catches steps the orchestrator
// has only just submitted. The stream ends when the pipeline is final.
import type { Job__Output } from "@platform/proto";
import { toHttpPipeline, type HttpPipeline } from "../pipelines";
import type { Upstreams } from "../../upstream";
import { SSE_KEEP_ALIVE, SSE_KEEP_ALIVE_MS, sseEvent } from "../../http/sse";

export const FINAL_PIPELINE_STATUSES = ["SUCCEEDED", "FAILED", "CANCELLED"];
const FINAL_STEP_STATUSES = ["SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED"];
/** Longest one stream stays open; the page reconnects after that. */
export const PIPELINE_EVENTS_MAX_MS = 30 * 60_000;

export interface PipelineEventsOptions {
  id: string;
  /** The caller's owner condition (ownerScope), checked again on every re-read of the pipeline. */
  owner: string;
  requestId: string;
  upstreams: Pick<Upstreams, "jobs" | "pipelines">;
  signal: AbortSignal;
  /** How often the pipeline itself is read again. */
  refreshMs?: number;
  /** Comment lines that keep idle proxies from closing the stream. */
  keepAliveMs?: number;
}

const encoder = new TextEncoder();

export function pipelineEvents(first: HttpPipeline, options: PipelineEventsOptions): ReadableStream<Uint8Array> {
  const { id, owner, requestId, upstreams } = options;
  const jobStatus = new Map<number, string>();
  const watches = new Map<number, { cancel(): void }>();
  let latest = first;
  let lastSent = "";
  let closed = false;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  let soon: ReturnType<typeof setTimeout> | undefined;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = (last?: Uint8Array) => {
        if (closed) return;
        closed = true;
        clearInterval(refreshTimer);
        clearInterval(keepAliveTimer);
        clearTimeout(soon);
        for (const watch of watches.values()) watch.cancel();
        watches.clear();
        try {
          if (last) controller.enqueue(last);
          controller.close();
        } catch {
          // the client went away first
        }
      };
      const view = (): HttpPipeline => ({
        ...latest,
        steps: latest.steps.map((step) => {
          const live = step.job_id === null ? undefined : jobStatus.get(step.job_id);
          return live && !FINAL_STEP_STATUSES.includes(step.status) ? { ...step, status: live } : step;
        }),
      });
      const send = () => {
        if (closed) return;
        const current = view();
        const text = JSON.stringify(current);
        if (text !== lastSent) {
          lastSent = text;
          controller.enqueue(encoder.encode(`data: ${text}\n\n`));
        }
        if (FINAL_PIPELINE_STATUSES.includes(current.status)) close();
      };
      const follow = () => {
        for (const step of latest.steps) {
          const jobId = step.job_id;
          if (jobId === null || watches.has(jobId) || FINAL_STEP_STATUSES.includes(step.status)) continue;
          const stream = upstreams.jobs.stream("WatchJob", { id: String(jobId), owner }, { requestId, deadlineMs: PIPELINE_EVENTS_MAX_MS });
          watches.set(jobId, stream);
          stream.on("data", (job: Job__Output) => {
            jobStatus.set(jobId, job.status.replace(/^JOB_STATUS_/, ""));
            send();
            // The orchestrator reacts to a finished job on its own tick: read the pipeline again shortly.
            if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(jobStatus.get(jobId)!)) refreshSoon();
          });
          // Ended or failed: forget it; the next refresh opens it again if the step is still live.
          stream.on("end", () => watches.delete(jobId));
          stream.on("error", () => watches.delete(jobId));
        }
      };
      const refresh = async () => {
        if (closed) return;
        try {
          latest = toHttpPipeline(await upstreams.pipelines.call("GetPipeline", { id, owner }, { requestId }));
          follow();
          send();
        } catch {
          close(sseEvent({ detail: "the pipeline could not be read; reconnect to resume" }, "error"));
        }
      };
      const refreshSoon = () => {
        clearTimeout(soon);
        soon = setTimeout(() => void refresh(), 300);
      };
      options.signal.addEventListener("abort", () => close());
      refreshTimer = setInterval(() => void refresh(), options.refreshMs ?? 2_000);
      keepAliveTimer = setInterval(() => !closed && controller.enqueue(SSE_KEEP_ALIVE), options.keepAliveMs ?? SSE_KEEP_ALIVE_MS);
      follow();
      send();
    },
    cancel() {
      closed = true;
      clearInterval(refreshTimer);
      clearInterval(keepAliveTimer);
      clearTimeout(soon);
      for (const watch of watches.values()) watch.cancel();
    },
  });
}
