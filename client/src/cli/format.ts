// What the CLI prints for people: aligned tables for lists, `field: value` lines
// for one resource, one line per change while watching. Pure functions of their
// input (no colours, no terminal queries), so the tests read exactly this.
import type { Job, Pipeline, Schedule, User } from "../models";
import { ApiError, NetworkError } from "../problem";

/** A value in a cell: "-" for nothing, JSON for structures, cut to `max` characters. */
export function cell(value: unknown, max = 48): string {
  let text: string;
  if (value === null || value === undefined || value === "") text = "-";
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else text = JSON.stringify(value);
  // One line per row, whatever a name holds.
  text = text.replace(/[\u0000-\u001f\u007f]/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** RFC 3339 without fractions: 2026-12-02T15:34:29Z. */
export const time = (value: string | null | undefined) =>
  value ? value.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, "") : "-";

export interface Column<T> {
  header: string;
  value(row: T): unknown;
  /** Right-aligned (numbers). */
  right?: boolean;
}

/** Rows under a header, columns two spaces apart; "(none)" when there are none. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return "(none)";
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}

/** One resource as aligned `field: value` lines, in the given order. */
export function details(pairs: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)} ${cell(v, 200)}`).join("\n");
}

export const USER_COLUMNS: Column<User>[] = [
  { header: "ID", value: (u) => u.id, right: true },
  { header: "NAME", value: (u) => u.name },
  { header: "EMAIL", value: (u) => u.email },
  { header: "ROLES", value: (u) => u.roles.join(",") },
  { header: "CREATED", value: (u) => time(u.created_at) },
];

export const JOB_COLUMNS: Column<Job>[] = [
  { header: "ID", value: (j) => j.id, right: true },
  { header: "NAME", value: (j) => j.job_name },
  { header: "KIND", value: (j) => j.kind },
  { header: "STATUS", value: (j) => j.status },
  { header: "ATTEMPTS", value: (j) => `${j.attempts}/${j.max_attempts}`, right: true },
  { header: "QUEUE", value: (j) => j.queue },
  { header: "UPDATED", value: (j) => time(j.updated_at) },
];

export const PIPELINE_COLUMNS: Column<Pipeline>[] = [
  { header: "ID", value: (p) => p.id, right: true },
  { header: "NAME", value: (p) => p.pipeline_name },
  { header: "STATUS", value: (p) => p.status },
  {
    header: "STEPS",
    value: (p) => `${p.steps.filter((s) => s.status === "SUCCEEDED").length}/${p.steps.length}`,
    right: true,
  },
  { header: "UPDATED", value: (p) => time(p.updated_at) },
];

export const STEP_COLUMNS: Column<Pipeline["steps"][number]>[] = [
  { header: "STEP", value: (s) => s.name },
  { header: "KIND", value: (s) => s.kind },
  { header: "STATUS", value: (s) => s.status },
  { header: "JOB", value: (s) => s.job_id, right: true },
  { header: "DEPENDS ON", value: (s) => s.depends_on.join(",") },
  { header: "ERROR", value: (s) => s.error },
];

export const SCHEDULE_COLUMNS: Column<Schedule>[] = [
  { header: "ID", value: (s) => s.id, right: true },
  { header: "NAME", value: (s) => s.name },
  { header: "CRON", value: (s) => s.cron },
  { header: "TZ", value: (s) => s.time_zone },
  { header: "JOB", value: (s) => s.job.kind || s.job.job_name },
  { header: "STATE", value: (s) => (s.paused ? "paused" : "active") },
  { header: "NEXT RUN", value: (s) => time(s.next_run_at) },
];

export const userDetails = (u: User) =>
  details([
    ["id", u.id],
    ["name", u.name],
    ["email", u.email],
    ["roles", u.roles.join(", ")],
    ["created", time(u.created_at)],
  ]);

export const jobDetails = (j: Job) =>
  details([
    ["id", j.id],
    ["name", j.job_name],
    ["status", j.status],
    ["kind", j.kind],
    ["queue", j.queue],
    ["priority", j.priority],
    ["attempts", `${j.attempts}/${j.max_attempts}`],
    ["payload", j.payload],
    ["result", j.result],
    ["error", j.error],
    ["worker", j.worker_id],
    ["owner", j.owner],
    ["created", time(j.created_at)],
    ["started", time(j.started_at)],
    ["finished", time(j.finished_at)],
  ]);

export const pipelineDetails = (p: Pipeline) =>
  [
    details([
      ["id", p.id],
      ["name", p.pipeline_name],
      ["status", p.status],
      ["owner", p.owner],
      ["created", time(p.created_at)],
      ["updated", time(p.updated_at)],
    ]),
    "",
    table(p.steps, STEP_COLUMNS),
  ].join("\n");

export const scheduleDetails = (s: Schedule) =>
  details([
    ["id", s.id],
    ["name", s.name],
    ["cron", s.cron],
    ["time zone", s.time_zone],
    ["state", s.paused ? "paused" : "active"],
    ["job", `${s.job.job_name}${s.job.kind ? ` (${s.job.kind})` : ""}`],
    ["payload", s.job.payload],
    ["next run", time(s.next_run_at)],
    ["last run", time(s.last_run_at)],
    ["last job", s.last_job_id ?? "–"],
    ["owner", s.owner],
  ]);

/** Where a list goes on: the token for `--page-token`, or nothing on the last page. */
export const nextPageHint = (token: string) => (token ? `next page: --page-token ${token}` : "");

/** What went wrong, for people: the problem's title and detail, its field errors, its request id. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const lines = [`error: ${error.status} ${error.title}${error.detail ? `: ${error.detail}` : ""}`];
    for (const e of error.errors) lines.push(`  ${e.field}: ${e.message}`);
    if (error.requestId) lines.push(`  (request id ${error.requestId})`);
    return lines.join("\n");
  }
  if (error instanceof NetworkError) return `error: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
