// The data a pipeline carries: its parameters (a JSON object), the templates
// in its steps' payloads (checked when the pipeline is created), and a step's
// payload rendered when its job is created. The template language itself is
// template.ts. Pure: no transport, no storage.
import type { Violations } from "@platform/kit";
import { lookup, referencesIn, renderPayload, TemplateError, type Reference } from "./template";

/** Parameters and rendered payloads are capped like job payloads (the jobs service's limit). */
export const MAX_JSON_BYTES = 64 * 1024;

const parseJson = (text: string): unknown => JSON.parse(text) as unknown;

/** Parameters as JSON text: null (none) or an object of at most MAX_JSON_BYTES. */
export function checkParameters(problems: Violations, field: string, text: string | null): string | null {
  if (text === null) return null;
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) {
    problems.add(field, `must be at most ${MAX_JSON_BYTES} bytes of JSON`);
    return null;
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    problems.add(field, "must be a JSON object");
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.add(field, "must be a JSON object");
    return null;
  }
  return text;
}

/** The parameters as an object ({} for none). */
export function parametersOf(text: string | null): Record<string, unknown> {
  return text === null ? {} : (parseJson(text) as Record<string, unknown>);
}

/**
 * `override`'s keys replacing `base`'s (top level): the parameters of a re-run.
 * Both are valid parameters (checkParameters); null when both are none.
 */
export function mergeParameters(base: string | null, override: string | null): string | null {
  if (override === null) return base;
  if (base === null) return override;
  const merged: Record<string, unknown> = { ...parametersOf(base) };
  for (const [key, value] of Object.entries(parametersOf(override)))
    Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(merged);
}

interface StepShape {
  name: string;
  payload: string | null;
  dependsOn: readonly string[];
}

/** Every step the named one depends on, directly or through others (the steps form a DAG). */
export function ancestorsOf(steps: readonly StepShape[], name: string): Set<string> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const found = new Set<string>();
  const pending = [...(byName.get(name)?.dependsOn ?? [])];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...(byName.get(next)?.dependsOn ?? []));
  }
  return found;
}

/**
 * Checks the templates of every step's payload (valid JSON, acyclic steps
 * assumed): each parses, each `params` reference finds a value in the
 * parameters, and each `steps` reference names a step this one depends on,
 * directly or transitively. Adds violations on `steps.<i>.payload`.
 */
export function checkStepTemplates(problems: Violations, steps: readonly StepShape[], parameters: string | null): void {
  const names = new Set(steps.map((s) => s.name));
  const params = parametersOf(parameters);
  steps.forEach((step, i) => {
    if (step.payload === null || !step.payload.includes("{{")) return;
    const field = `steps.${i}.payload`;
    let references: Reference[];
    try {
      references = referencesIn(parseJson(step.payload), names);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      problems.add(field, error.message);
      return;
    }
    const ancestors = ancestorsOf(steps, step.name);
    for (const reference of references) {
      if (reference.root === "params") {
        const found = lookup(params, reference.path);
        if (!found.found) problems.add(field, `${reference.source}: the parameters have no such value`);
      } else if (reference.step === step.name)
        problems.add(field, `${reference.source}: a step cannot use its own result`);
      else if (!ancestors.has(reference.step))
        problems.add(
          field,
          `${reference.source}: step ${step.name} does not depend on ${reference.step} (add it to depends_on)`,
        );
    }
  });
}

/**
 * The payload of `step`'s job: its template rendered against the pipeline's
 * parameters and its dependencies' results (`results(step)`: that step's
 * result as JSON text, "" or undefined when it has none). Throws TemplateError
 * (the step fails with its message) when a value is missing or the payload
 * grows over MAX_JSON_BYTES.
 */
export function renderStepPayload(
  step: StepShape,
  steps: readonly StepShape[],
  parameters: string | null,
  results: (step: string) => string | undefined,
): string | null {
  if (step.payload === null) return null;
  const names = new Set(steps.map((s) => s.name));
  const parsed = new Map<string, unknown>();
  return renderPayload(
    step.payload,
    {
      params: parametersOf(parameters),
      result(name) {
        if (!parsed.has(name)) {
          const text = results(name);
          try {
            parsed.set(name, text ? parseJson(text) : undefined);
          } catch {
            throw new TemplateError(`step ${name}'s result is not JSON`);
          }
        }
        return parsed.get(name);
      },
    },
    names,
    MAX_JSON_BYTES,
  );
}

/** The steps whose results `step`'s payload references (what must be fetched before rendering it). */
export function referencedSteps(step: StepShape, steps: readonly StepShape[]): string[] {
  if (step.payload === null || !step.payload.includes("{{")) return [];
  const names = new Set(steps.map((s) => s.name));
  const found = new Set<string>();
  for (const reference of referencesIn(parseJson(step.payload), names))
    if (reference.root === "steps") found.add(reference.step);
  return [...found];
}
