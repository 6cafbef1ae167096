// The contracts' enums as the API names them: generated enum values without
// their protobuf prefix ("JOB_STATUS_RUNNING" ↔ "RUNNING"), and typed
// conversions both ways. No runtime dependencies (the generated enum objects
// are plain constants), so the browser console can import it:
// `@platform/proto/enums`. Never re-type a status list; derive it from here.
import { JobStatus as WireJobStatuses, type JobStatus__Output as WireJobStatus } from "./generated/jobs/v1/JobStatus";
import {
  PipelineStatus as WirePipelineStatuses,
  type PipelineStatus__Output as WirePipelineStatus,
} from "./generated/pipelines/v1/PipelineStatus";
import {
  StepStatus as WireStepStatuses,
  type StepStatus__Output as WireStepStatus,
} from "./generated/pipelines/v1/StepStatus";
import { Role as WireRoles, type Role__Output as WireRole } from "./generated/users/v1/Role";

/** A list with at least one element (what schema builders such as t.UnionEnum ask for). */
export type NonEmpty<T> = readonly [T, ...T[]];

type Unprefixed<Value extends string, Prefix extends string> = Value extends `${Prefix}${infer Name}`
  ? Name extends "UNSPECIFIED"
    ? never
    : Name
  : never;

/** An enum's values without its prefix, in the contract's order, UNSPECIFIED left out. */
function namesOf<Value extends string, Prefix extends string>(
  values: Record<string, Value>,
  prefix: Prefix,
): NonEmpty<Unprefixed<Value, Prefix>> {
  return Object.freeze(
    Object.values(values)
      .filter((value) => value.startsWith(prefix) && value !== `${prefix}UNSPECIFIED`)
      .map((value) => value.slice(prefix.length) as Unprefixed<Value, Prefix>),
  ) as unknown as NonEmpty<Unprefixed<Value, Prefix>>;
}

/** Conversions between one enum's wire values and its names. */
export interface EnumNames<Wire extends string, Name extends string> {
  readonly prefix: string;
  readonly names: NonEmpty<Name>;
  /** The zero value, e.g. JOB_STATUS_UNSPECIFIED: "any" in a filter. */
  readonly unspecified: Wire;
  /** "RUNNING" → "JOB_STATUS_RUNNING". */
  toWire(name: Name): Wire;
  /** "JOB_STATUS_RUNNING" → "RUNNING"; UNSPECIFIED and values this version does not know: undefined. */
  fromWire(wire: string | number): Name | undefined;
  is(value: unknown): value is Name;
}

function enumNames<Wire extends string, Prefix extends string>(
  values: Record<string, Wire>,
  prefix: Prefix,
): EnumNames<Wire, Unprefixed<Wire, Prefix>> {
  type Name = Unprefixed<Wire, Prefix>;
  const names = namesOf(values, prefix);
  const is = (value: unknown): value is Name =>
    typeof value === "string" && (names as readonly string[]).includes(value);
  return {
    prefix,
    names,
    unspecified: `${prefix}UNSPECIFIED` as Wire,
    toWire: (name) => `${prefix}${name}` as Wire,
    fromWire: (wire) => {
      const text = String(wire);
      const name = text.startsWith(prefix) ? text.slice(prefix.length) : undefined;
      return is(name) ? name : undefined;
    },
    is,
  };
}

export const JobStatuses = enumNames(WireJobStatuses, "JOB_STATUS_");
export const PipelineStatuses = enumNames(WirePipelineStatuses, "PIPELINE_STATUS_");
export const StepStatuses = enumNames(WireStepStatuses, "STEP_STATUS_");
export const Roles = enumNames(WireRoles, "ROLE_");

export type JobStatusName = Unprefixed<WireJobStatus, "JOB_STATUS_">;
export type PipelineStatusName = Unprefixed<WirePipelineStatus, "PIPELINE_STATUS_">;
export type StepStatusName = Unprefixed<WireStepStatus, "STEP_STATUS_">;
export type RoleName = Unprefixed<WireRole, "ROLE_">;

/** PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED. */
export const JOB_STATUSES = JobStatuses.names;
/** PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED. */
export const PIPELINE_STATUSES = PipelineStatuses.names;
/** WAITING, PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED. */
export const STEP_STATUSES = StepStatuses.names;
/** ADMIN, USER, WORKER. */
export const ROLES = Roles.names;

/** The statuses a job, pipeline or step never leaves (the contracts' comments say which). */
export const FINAL_JOB_STATUSES: readonly JobStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED"];
export const FINAL_PIPELINE_STATUSES: readonly PipelineStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED"];
export const FINAL_STEP_STATUSES: readonly StepStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED"];

/** Roles as users, tokens and the HTTP API spell them: admin, user, worker. */
export type LowercaseRole = Lowercase<RoleName>;
export const LOWERCASE_ROLES = Object.freeze(
  ROLES.map((role) => role.toLowerCase()),
) as unknown as NonEmpty<LowercaseRole>;
/** "admin" → "ROLE_ADMIN". */
export const roleToWire = (role: LowercaseRole): WireRole => Roles.toWire(role.toUpperCase() as RoleName);
/** "ROLE_ADMIN" → "admin"; UNSPECIFIED and roles this version does not know: undefined. */
export const roleFromWire = (wire: string | number): LowercaseRole | undefined =>
  Roles.fromWire(wire)?.toLowerCase() as LowercaseRole | undefined;
