// The API's resources as the client receives them, named once and derived from
// the treaty types (so from the gateway's route declarations): nothing here is
// typed by hand.
import type { Api } from "./api";

type Data<F extends (...args: never[]) => Promise<{ data: unknown }>> = Exclude<Awaited<ReturnType<F>>["data"], null>;
type ById<K extends "users" | "jobs" | "pipelines" | "schedules"> = ReturnType<Api[K]>;

export type User = Data<ById<"users">["get"]>;
export type Job = Data<ById<"jobs">["get"]>;
export type Pipeline = Data<ById<"pipelines">["get"]>;
export type PipelineStep = Pipeline["steps"][number];
export type Schedule = Data<ById<"schedules">["get"]>;
export type JobStats = Data<Api["jobs"]["stats"]["get"]>;
/** One kind's row of the job stats. */
export type KindStats = JobStats["by_kind"][number];
/** One id's outcome in POST /jobs/retry. */
export type RetryResult = Data<Api["jobs"]["retry"]["post"]>["results"][number];
export type Token = Data<Api["login"]["post"]>;
/** A gateway replica's cumulative HTTP traffic (GET /ui/api/metrics, admin only; the console's system page). */
export type TrafficSummary = Data<Api["ui"]["api"]["metrics"]["get"]>;

/** A page of a list: `next_page_token` is "" on the last page. */
export interface Page<T> {
  items: T[];
  next_page_token: string;
}

/** Request bodies, as the routes declare them. */
export type NewUser = Parameters<Api["users"]["post"]>[0];
export type NewJob = Parameters<Api["jobs"]["post"]>[0];
export type NewPipeline = Parameters<Api["pipelines"]["post"]>[0];
export type NewSchedule = Parameters<Api["schedules"]["post"]>[0];
/** A list's paging query (`page_size` is decimal digits in a query string). */
export type PageQuery = NonNullable<NonNullable<Parameters<Api["users"]["get"]>[0]>["query"]>;
