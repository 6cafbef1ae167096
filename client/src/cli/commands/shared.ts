// Pieces several command groups share: paging options, watching to the end.
import { watchJob, watchPipeline } from "../../watch";
import { type OptionSpecs, parseIntOption } from "../args";
import { EXIT } from "../exitCodes";
import { jobProgress, pipelineProgress } from "../progress";
import type { Session } from "../session";
import type { Job, PageQuery, Pipeline } from "../../models";

export const PAGE_OPTIONS = {
  "page-size": { type: "string", value: "<n>", description: "items per page (server default when absent)" },
  "page-token": { type: "string", value: "<token>", description: "the page after the one that printed it" },
} as const satisfies OptionSpecs;

/** PAGE_OPTIONS' values as a list's query (the gateway checks the page size's range). */
export function pageQueryOf(values: { "page-size"?: string; "page-token"?: string }): PageQuery {
  const pageSize = parseIntOption(values["page-size"], "page-size");
  return { page_size: pageSize === undefined ? undefined : String(pageSize), page_token: values["page-token"] };
}

export const WATCH_OPTION = {
  watch: { type: "boolean", short: "w", description: "follow it until it is final; exit 1 unless it SUCCEEDED" },
} as const satisfies OptionSpecs;

/** 0 when it SUCCEEDED, 1 when it ended otherwise. */
const outcome = (status: string | undefined) => (status === "SUCCEEDED" ? EXIT.ok : EXIT.failed);

/** Follows a job to the end, printing each change (a JSON line each with --json). */
export async function followJob(session: Session, id: number): Promise<number> {
  let last: Job | undefined;
  for await (const job of watchJob(session.api(), id)) {
    if (session.json) session.io.out(JSON.stringify(job));
    else for (const line of jobProgress(last, job)) session.io.out(line);
    last = job;
  }
  return outcome(last?.status);
}

/** Follows a pipeline to the end, printing each change (a JSON line each with --json). */
export async function followPipeline(session: Session, id: number): Promise<number> {
  let last: Pipeline | undefined;
  for await (const pipeline of watchPipeline(session.api(), id)) {
    if (session.json) session.io.out(JSON.stringify(pipeline));
    else for (const line of pipelineProgress(last, pipeline)) session.io.out(line);
    last = pipeline;
  }
  return outcome(last?.status);
}
