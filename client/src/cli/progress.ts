// Live progress while watching: one line for each change worth telling (a status,
// an attempt, a step), computed from the previous state and the new one.
import type { Job, Pipeline } from "../models";
import { cell } from "./format";

function jobState(job: Job): string {
  const extra: string[] = [];
  if (job.status === "RUNNING") extra.push(`attempt ${job.attempts}/${job.max_attempts}`);
  if (job.status === "RUNNING" && job.worker_id) extra.push(`worker ${job.worker_id}`);
  if (job.status === "PENDING" && job.attempts > 0)
    extra.push(`retry after attempt ${job.attempts}/${job.max_attempts}`);
  let line = `job ${job.id} ${job.status}${extra.length ? ` (${extra.join(", ")})` : ""}`;
  if (job.status === "SUCCEEDED" && job.result !== null) line += `: result ${cell(job.result, 200)}`;
  if ((job.status === "FAILED" || job.status === "CANCELLED") && job.error) line += `: ${cell(job.error, 200)}`;
  return line;
}

/** The line for a job's new state, or none when nothing a person cares about changed. */
export function jobProgress(previous: Job | undefined, job: Job): string[] {
  if (previous && previous.status === job.status && previous.attempts === job.attempts) return [];
  return [jobState(job)];
}

const stepLine = (step: Pipeline["steps"][number]) =>
  `  step ${step.name}: ${step.status}${step.job_id ? ` (job ${step.job_id})` : ""}${step.error ? `: ${cell(step.error, 200)}` : ""}`;

/** The lines for a pipeline's new state: its status when it changes, and each step that changed. */
export function pipelineProgress(previous: Pipeline | undefined, pipeline: Pipeline): string[] {
  const lines: string[] = [];
  const done = pipeline.steps.filter((s) => s.status === "SUCCEEDED").length;
  if (!previous)
    lines.push(
      `pipeline ${pipeline.id} ${JSON.stringify(pipeline.pipeline_name)} ${pipeline.status}: ${done}/${pipeline.steps.length} steps done`,
    );
  const before = new Map(previous?.steps.map((s) => [s.name, s]));
  for (const step of pipeline.steps) {
    const old = before.get(step.name);
    if (!old || old.status !== step.status || old.job_id !== step.job_id) lines.push(stepLine(step));
  }
  if (previous && previous.status !== pipeline.status)
    lines.push(`pipeline ${pipeline.id} ${pipeline.status}: ${done}/${pipeline.steps.length} steps done`);
  return lines;
}
