// What a job is, and what makes a new one valid. No transport, no storage.
import { checkName, Violations } from "@platform/kit";

export const JOB_STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface Job {
  id: number;
  name: string;
  status: JobStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewJob {
  name: string;
}

export function validateNewJob(input: NewJob): NewJob {
  const problems = new Violations();
  const name = checkName(problems, "job_name", input.name);
  problems.throwIfAny();
  return { name };
}
