// What a pipeline is, what makes a new one valid (its steps form a DAG), and
// how its status follows from its steps. Pure: no transport, no storage.
import { checkName, checkOwner, FailedPreconditionError, Violations } from "@platform/kit";
import { checkParameters, checkStepTemplates, MAX_JSON_BYTES, mergeParameters } from "./stepData";
import { createHash } from "node:crypto";
import {
  IDEMPOTENCY_KEY_MESSAGE,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_REUSED_MESSAGE,
  KIND_MESSAGE,
  KIND_PATTERN,
  lengthMessage,
  MAX_STEPS,
  STEP_NAME_MESSAGE,
  STEP_NAME_PATTERN,
} from "@platform/proto/rules";
import {
  FINAL_PIPELINE_STATUSES,
  FINAL_STEP_STATUSES,
  PIPELINE_STATUSES,
  STEP_STATUSES,
  type PipelineStatusName,
  type StepStatusName,
} from "@platform/proto/enums";

/** The statuses come from the contract (pipelines.proto's PipelineStatus and StepStatus). */
export { FINAL_STEP_STATUSES, PIPELINE_STATUSES, STEP_STATUSES };
export type PipelineStatus = PipelineStatusName;
export type StepStatus = StepStatusName;
export const isFinalStep = (status: StepStatus) => FINAL_STEP_STATUSES.includes(status);
export const isFinalPipeline = (status: PipelineStatus) => FINAL_PIPELINE_STATUSES.includes(status);

export interface Step {
  name: string;
  kind: string;
  /** JSON text, or null. */
  payload: string | null;
  dependsOn: string[];
  status: StepStatus;
  jobId: number | null;
  error: string | null;
}

export interface Pipeline {
  id: number;
  name: string;
  status: PipelineStatus;
  steps: Step[];
  createdAt: Date;
  updatedAt: Date;
  /** The request that created it: background calls for it carry this id. */
  requestId: string;
  /** Bumped by every save; a save over an older version is refused (compare-and-set). */
  version: number;
  /** The subject that created it; its steps' jobs belong to the same owner. */
  owner: string;
  /** Unique per owner; null when the request had none. */
  idempotencyKey: string | null;
  /** requestFingerprint() of the request that created it, beside its idempotency key; null without one. */
  requestHash: string | null;
  /** JSON object text; null: none. */
  parameters: string | null;
  /** How many times it was retried: part of its step jobs' idempotency keys. */
  retries: number;
  /** The pipeline it is a re-run of; null: none. */
  rerunOf: number | null;
  /** Whether its step payloads are templates: false for pipelines created before templates existed. */
  templated: boolean;
}

export interface NewStep {
  name: string;
  kind: string;
  payload: string | null;
  dependsOn: string[];
}

export interface NewPipeline {
  name: string;
  steps: NewStep[];
  owner: string;
  idempotencyKey: string | null;
  /** JSON object text; null or absent: none. */
  parameters?: string | null;
  /** Set by a re-run: the pipeline it copies. */
  rerunOf?: number | null;
}

/** The contract's rule (@platform/proto/rules). */
export { MAX_STEPS };
export const MAX_PAYLOAD_BYTES = MAX_JSON_BYTES;
const STEP_NAME = new RegExp(STEP_NAME_PATTERN);
const KIND = new RegExp(KIND_PATTERN);
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

export function validateNewPipeline(input: NewPipeline): NewPipeline {
  const problems = new Violations();
  const name = checkName(problems, "pipeline_name", input.name);
  const owner = checkOwner(problems, "owner", input.owner);
  if (input.steps.length > MAX_STEPS) problems.add("steps", lengthMessage.items(MAX_STEPS));
  if (input.idempotencyKey !== null && !IDEMPOTENCY_KEY.test(input.idempotencyKey))
    problems.add("idempotency_key", IDEMPOTENCY_KEY_MESSAGE);
  const names = new Set<string>();
  input.steps.forEach((step, i) => {
    if (!STEP_NAME.test(step.name)) problems.add(`steps.${i}.name`, STEP_NAME_MESSAGE);
    else if (names.has(step.name)) problems.add(`steps.${i}.name`, `${step.name} is used by another step`);
    names.add(step.name);
    if (!KIND.test(step.kind)) problems.add(`steps.${i}.kind`, KIND_MESSAGE);
    if (step.payload !== null) {
      if (Buffer.byteLength(step.payload) > MAX_PAYLOAD_BYTES)
        problems.add(`steps.${i}.payload`, `must be at most ${MAX_PAYLOAD_BYTES} bytes of JSON`);
      else
        try {
          JSON.parse(step.payload);
        } catch {
          problems.add(`steps.${i}.payload`, "must be valid JSON");
        }
    }
  });
  input.steps.forEach((step, i) => {
    const seen = new Set<string>();
    for (const dependency of step.dependsOn) {
      if (!names.has(dependency)) problems.add(`steps.${i}.depends_on`, `${dependency} is not a step of this pipeline`);
      else if (dependency === step.name) problems.add(`steps.${i}.depends_on`, "a step cannot depend on itself");
      else if (seen.has(dependency)) problems.add(`steps.${i}.depends_on`, `${dependency} is listed twice`);
      seen.add(dependency);
    }
  });
  const parameters = checkParameters(problems, "parameters", input.parameters ?? null);
  problems.throwIfAny();
  const cycle = findCycle(input.steps);
  if (cycle) problems.add("steps", `the dependencies form a cycle: ${cycle.join(" -> ")}`);
  problems.throwIfAny();
  checkStepTemplates(problems, input.steps, parameters);
  problems.throwIfAny();
  return {
    name,
    steps: input.steps,
    owner,
    idempotencyKey: input.idempotencyKey,
    parameters,
    rerunOf: input.rerunOf ?? null,
  };
}

/**
 * SHA-256 of the request as the service sees it (validated, name trimmed): what
 * an idempotency key is bound to. The key and the owner are left out (keys are
 * per owner anyway). Parameters count when there are any (so the hash of a
 * request without them is what it was before they existed).
 */
export function requestFingerprint(pipeline: NewPipeline): string {
  const steps = pipeline.steps.map((s) => [s.name, s.kind, s.payload, s.dependsOn]);
  const request = pipeline.parameters == null ? [pipeline.name, steps] : [pipeline.name, steps, pipeline.parameters];
  return createHash("sha256").update(JSON.stringify(request)).digest("hex");
}

/**
 * A create that found its idempotency key taken: the first pipeline again when
 * the request is the same, else INVALID_ARGUMENT on idempotency_key.
 */
export function checkReplay(existing: Pipeline, requestHash: string): Pipeline {
  if (existing.requestHash !== requestHash)
    new Violations().add("idempotency_key", IDEMPOTENCY_KEY_REUSED_MESSAGE).throwIfAny();
  return existing;
}

/** A dependency cycle as a list of step names, or undefined when the steps form a DAG. */
export function findCycle(steps: readonly NewStep[]): string[] | undefined {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "visiting");
    path.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Steps whose dependencies have all succeeded and that have not been submitted. */
export function readySteps(pipeline: Pipeline): Step[] {
  if (isFinalPipeline(pipeline.status)) return [];
  const succeeded = new Set(pipeline.steps.filter((s) => s.status === "SUCCEEDED").map((s) => s.name));
  return pipeline.steps.filter(
    (s) => s.status === "WAITING" && s.jobId === null && s.dependsOn.every((d) => succeeded.has(d)),
  );
}

/**
 * The pipeline's status from its steps: FAILED once a step failed or its job
 * was cancelled by someone else, SUCCEEDED when all succeeded, RUNNING once a
 * step's job has started (or it was RUNNING: a retried pipeline whose first
 * step starts over), PENDING before. CANCELLED stays CANCELLED.
 */
export function deriveStatus(pipeline: Pipeline): PipelineStatus {
  if (pipeline.steps.length === 0 || pipeline.status === "CANCELLED") return pipeline.status;
  if (pipeline.status === "FAILED" || pipeline.steps.some((s) => s.status === "FAILED" || s.status === "CANCELLED"))
    return "FAILED";
  if (pipeline.steps.every((s) => s.status === "SUCCEEDED")) return "SUCCEEDED";
  if (pipeline.status === "RUNNING" || pipeline.steps.some((s) => s.status === "RUNNING" || s.status === "SUCCEEDED"))
    return "RUNNING";
  return "PENDING";
}

export function checkCancellable(pipeline: Pipeline): void {
  if (isFinalPipeline(pipeline.status))
    throw new FailedPreconditionError(`pipeline ${pipeline.id} is already ${pipeline.status}`);
}

/** Steps a retry starts over: what stopped the pipeline, and what never ran because of it. */
const RETRIED_STEP_STATUSES: readonly StepStatus[] = ["FAILED", "CANCELLED", "SKIPPED"];

/**
 * RetryPipeline's transition: a FAILED or CANCELLED pipeline whose steps are
 * all final goes back to RUNNING, its FAILED, CANCELLED and SKIPPED steps to
 * WAITING without a job (new jobs follow, under the next `retries` number);
 * SUCCEEDED steps keep their jobs and results. Anything else is
 * FAILED_PRECONDITION.
 */
export function retryPipeline(pipeline: Pipeline, now: Date): Pipeline {
  if (pipeline.status !== "FAILED" && pipeline.status !== "CANCELLED")
    throw new FailedPreconditionError(
      `pipeline ${pipeline.id} is ${pipeline.status}: only a FAILED or CANCELLED pipeline can be retried`,
    );
  if (pipeline.steps.length === 0) throw new FailedPreconditionError(`pipeline ${pipeline.id} has no steps to retry`);
  if (!pipeline.steps.every((s) => isFinalStep(s.status)))
    throw new FailedPreconditionError(`pipeline ${pipeline.id} is still stopping its steps; try again shortly`);
  return {
    ...pipeline,
    status: "RUNNING",
    retries: pipeline.retries + 1,
    updatedAt: now,
    steps: pipeline.steps.map((s) =>
      RETRIED_STEP_STATUSES.includes(s.status) ? { ...s, status: "WAITING", jobId: null, error: null } : s,
    ),
  };
}

/**
 * RerunPipeline's request: a new pipeline with `source`'s name, steps and
 * parameters (`override`'s keys replacing them), for `owner`. Validated as any
 * new pipeline is.
 */
export function rerunRequest(
  source: Pipeline,
  override: string | null,
  owner: string,
  idempotencyKey: string | null,
): NewPipeline {
  const problems = new Violations();
  const checked = checkParameters(problems, "parameters", override);
  problems.throwIfAny();
  return validateNewPipeline({
    name: source.name,
    steps: source.steps.map(({ name, kind, payload, dependsOn }) => ({ name, kind, payload, dependsOn })),
    owner,
    idempotencyKey,
    parameters: mergeParameters(source.parameters, checked),
    rerunOf: source.id,
  });
}
