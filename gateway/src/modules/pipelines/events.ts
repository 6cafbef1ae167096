// A pipeline as server-sent events, for GET /pipelines/{id}/watch and the
// console's GET /ui/api/pipelines/{id}/events: fed by the pipelines service's
// WatchPipeline stream (the pipeline now and after every change, steps
// following their jobs, ending once final). The
// gateway only turns each message into its HTTP shape and passes it on; it
// derives nothing. Many such gRPC streams share one HTTP/2 channel, where a
// browser would need one connection each and runs out at six.
import { FINAL_PIPELINE_STATUSES, FINAL_STEP_STATUSES } from "@platform/proto/enums";
import type { Pipeline__Output } from "@platform/proto";
import type { Server } from "bun";
import { toHttpPipeline, type HttpPipeline } from ".";
import type { Upstreams } from "../../upstream";
import { keepStreamOpen, SSE_HEADERS, SSE_KEEP_ALIVE, SSE_KEEP_ALIVE_MS, sseEvent } from "../../http/sse";
import { pathId } from "../../http/wire";
import { ownerScope, type Principal } from "../../security/authorization";

/** Longest one stream stays open; the page reconnects after that. */
export const PIPELINE_EVENTS_MAX_MS = 30 * 60_000;

export interface PipelineEventsOptions {
  id: string;
  /** The caller's owner condition (ownerScope): the service checks it, as GetPipeline does. */
  owner: string;
  requestId: string;
  upstreams: Pick<Upstreams, "pipelines">;
  signal: AbortSignal;
  /** Comment lines that keep idle proxies from closing the stream. */
  keepAliveMs?: number;
}

const encoder = new TextEncoder();
const isFinal = (pipeline: HttpPipeline) =>
  (FINAL_PIPELINE_STATUSES as readonly string[]).includes(pipeline.status) &&
  pipeline.steps.every((step) => (FINAL_STEP_STATUSES as readonly string[]).includes(step.status));

/** `first`: the pipeline as just read (so an unknown id was a plain 404); sent at once, then every change. */
export function pipelineEvents(first: HttpPipeline, options: PipelineEventsOptions): ReadableStream<Uint8Array> {
  const { id, owner, requestId, upstreams } = options;
  let watch: { cancel(): void } | undefined;
  let lastSent = "";
  let closed = false;
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    closed = true;
    clearInterval(keepAliveTimer);
    watch?.cancel();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = (last?: Uint8Array) => {
        if (closed) return;
        stop();
        try {
          if (last) controller.enqueue(last);
          controller.close();
        } catch {
          // the client went away first
        }
      };
      const send = (pipeline: HttpPipeline) => {
        if (closed) return;
        const text = JSON.stringify(pipeline);
        if (text === lastSent) return;
        lastSent = text;
        controller.enqueue(encoder.encode(`data: ${text}\n\n`));
      };
      send(first);
      if (isFinal(first)) return close();
      options.signal.addEventListener("abort", () => close());
      keepAliveTimer = setInterval(
        () => !closed && controller.enqueue(SSE_KEEP_ALIVE),
        options.keepAliveMs ?? SSE_KEEP_ALIVE_MS,
      );
      const stream = upstreams.pipelines.stream(
        "WatchPipeline",
        { id, owner },
        { requestId, deadlineMs: PIPELINE_EVENTS_MAX_MS },
      );
      watch = stream;
      stream.on("data", (pipeline: Pipeline__Output) => send(toHttpPipeline(pipeline)));
      stream.on("end", () => close());
      stream.on("error", () =>
        close(sseEvent({ detail: "the pipeline could not be followed; reconnect to resume" }, "error")),
      );
    },
    cancel() {
      stop();
    },
  });
}

/**
 * The whole route behind both streams: the caller's owner rule (another owner's
 * pipeline is a 404), a plain GetPipeline first so an unknown id is an ordinary
 * 404 problem rather than a broken stream, then the events.
 */
export async function pipelineEventsResponse(
  upstreams: Pick<Upstreams, "pipelines">,
  call: {
    id: string;
    principal: Principal;
    requestId: string;
    headers: Record<string, string>;
    request: Request;
    server: Server<unknown> | null;
  },
): Promise<Response> {
  const id = String(pathId(call.id));
  const owner = ownerScope(call.principal);
  const first = toHttpPipeline(
    await upstreams.pipelines.call("GetPipeline", { id, owner }, { requestId: call.requestId }),
  );
  keepStreamOpen(call.server, call.request);
  const body = pipelineEvents(first, { id, owner, requestId: call.requestId, upstreams, signal: call.request.signal });
  return new Response(body, { headers: { ...call.headers, ...SSE_HEADERS } });
}
