// What a pipeline is, and what makes a new one valid. No transport, no storage.
import { checkName, Violations } from "@platform/kit";

export const PIPELINE_STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

export interface Pipeline {
  id: number;
  name: string;
  status: PipelineStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPipeline {
  name: string;
}

export function validateNewPipeline(input: NewPipeline): NewPipeline {
  const problems = new Violations();
  const name = checkName(problems, "pipeline_name", input.name);
  problems.throwIfAny();
  return { name };
}
