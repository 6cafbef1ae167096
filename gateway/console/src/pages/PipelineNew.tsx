import { useState } from "preact/hooks";
import { ApiError, call, errorText, gateway } from "../api";
import { Alert, DagView, PageTitle, TextField } from "../components";
import { navigate } from "../router";
import type { NewPipeline, Pipeline } from "@platform/client";

interface DraftStep {
  key: number;
  name: string;
  kind: string;
  payload: string;
  depends_on: string[];
}

let nextKey = 1;
const emptyStep = (): DraftStep => ({ key: nextKey++, name: "", kind: "", payload: "", depends_on: [] });

/** Kinds the reference worker knows; any lowercase name is accepted. */
export const SUGGESTED_KINDS = ["echo", "sleep", "noop", "fail"];

export function PipelineNew() {
  const [name, setName] = useState("");
  const [steps, setSteps] = useState<DraftStep[]>([emptyStep()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const update = (key: number, change: Partial<DraftStep>) =>
    setSteps(steps.map((s) => (s.key === key ? { ...s, ...change } : s)));
  const remove = (key: number) => {
    const gone = steps.find((s) => s.key === key)?.name;
    setSteps(
      steps.filter((s) => s.key !== key).map((s) => ({ ...s, depends_on: s.depends_on.filter((d) => d !== gone) })),
    );
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    // Payloads are typed as JSON text: the one check made here, with the API's own wording.
    const local: Record<string, string> = {};
    const body = {
      pipeline_name: name,
      steps: steps.map((s, i) => {
        let payload: unknown;
        if (s.payload.trim() !== "") {
          try {
            payload = JSON.parse(s.payload);
          } catch {
            local[`steps.${i}.payload`] = "must be valid JSON";
          }
        }
        return { name: s.name, kind: s.kind, depends_on: s.depends_on, ...(payload === undefined ? {} : { payload }) };
      }),
    };
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setProblem("Some fields need attention.");
      focusFirstError();
      return;
    }
    setBusy(true);
    try {
      const created: Pipeline = await call(gateway().pipelines.post(body as NewPipeline));
      navigate(`/ui/pipelines/${created.id}`);
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(e.fieldErrors);
        setProblem(e.problem.detail ?? e.message);
      } else setProblem(errorText(e));
      setBusy(false);
      focusFirstError();
    }
  };

  const stepsError = errors.steps;
  return (
    <>
      <PageTitle>New pipeline</PageTitle>
      <form onSubmit={submit} noValidate class="pipeline-form">
        {problem && (
          <Alert>
            <p>{problem}</p>
            {Object.keys(errors).length > 0 && (
              <ul>
                {Object.entries(errors).map(([field, message]) => (
                  <li>
                    {fieldLabel(field, steps)}: {message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        <TextField
          id="pipeline_name"
          label="Pipeline name"
          value={name}
          error={errors.pipeline_name}
          onInput={setName}
          required
        />
        <fieldset
          class={`steps${stepsError ? " field-invalid" : ""}`}
          aria-describedby={stepsError ? "steps-error" : undefined}
        >
          <legend>Steps</legend>
          {stepsError && (
            <p class="field-error" id="steps-error">
              {stepsError}
            </p>
          )}
          {steps.map((step, i) => {
            const others = steps.filter((s) => s.key !== step.key && s.name.trim() !== "");
            const dependsError = errors[`steps.${i}.depends_on`];
            return (
              <section class="step card" key={step.key} aria-label={`Step ${i + 1}`}>
                <h2 class="step-title">Step {i + 1}</h2>
                <div class="step-grid">
                  <TextField
                    id={`step-${i}-name`}
                    label="Name"
                    value={step.name}
                    error={errors[`steps.${i}.name`]}
                    onInput={(v) => update(step.key, { name: v })}
                    required
                  />
                  <TextField
                    id={`step-${i}-kind`}
                    label="Kind"
                    value={step.kind}
                    error={errors[`steps.${i}.kind`]}
                    hint="echo, sleep, noop or fail"
                    list="kinds"
                    onInput={(v) => update(step.key, { kind: v })}
                    required
                  />
                  <div class={`field${errors[`steps.${i}.payload`] ? " field-invalid" : ""}`}>
                    <label for={`step-${i}-payload`}>Payload (JSON, optional)</label>
                    <textarea
                      id={`step-${i}-payload`}
                      rows={2}
                      value={step.payload}
                      aria-invalid={errors[`steps.${i}.payload`] ? "true" : undefined}
                      aria-describedby={errors[`steps.${i}.payload`] ? `step-${i}-payload-error` : undefined}
                      onInput={(e) => update(step.key, { payload: (e.currentTarget as HTMLTextAreaElement).value })}
                    />
                    {errors[`steps.${i}.payload`] && (
                      <p class="field-error" id={`step-${i}-payload-error`}>
                        {errors[`steps.${i}.payload`]}
                      </p>
                    )}
                  </div>
                </div>
                <fieldset
                  class={`depends${dependsError ? " field-invalid" : ""}`}
                  aria-describedby={dependsError ? `step-${i}-depends-error` : undefined}
                >
                  <legend>Depends on</legend>
                  {others.length === 0 && <p class="hint">Name other steps to choose dependencies.</p>}
                  {others.map((other) => (
                    <label class="check" key={other.key}>
                      <input
                        type="checkbox"
                        checked={step.depends_on.includes(other.name)}
                        onChange={(e) => {
                          const on = (e.currentTarget as HTMLInputElement).checked;
                          update(step.key, {
                            depends_on: on
                              ? [...step.depends_on, other.name]
                              : step.depends_on.filter((d) => d !== other.name),
                          });
                        }}
                      />{" "}
                      {other.name}
                    </label>
                  ))}
                  {dependsError && (
                    <p class="field-error" id={`step-${i}-depends-error`}>
                      {dependsError}
                    </p>
                  )}
                </fieldset>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => remove(step.key)}
                  disabled={steps.length === 1}
                  aria-label={`Remove step ${i + 1}`}
                >
                  Remove step
                </button>
              </section>
            );
          })}
          <button type="button" onClick={() => setSteps([...steps, emptyStep()])}>
            Add step
          </button>
        </fieldset>
        <datalist id="kinds">
          {SUGGESTED_KINDS.map((k) => (
            <option value={k} />
          ))}
        </datalist>
        <h2>Preview</h2>
        <DagView
          steps={steps
            .filter((s, i) => s.name.trim() !== "" && steps.findIndex((o) => o.name === s.name) === i)
            .map((s) => ({ name: s.name, kind: s.kind, depends_on: s.depends_on }))}
          label="Preview of the pipeline's graph"
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Creating…" : "Create pipeline"}
          </button>
        </div>
      </form>
    </>
  );
}

function fieldLabel(field: string, steps: DraftStep[]): string {
  const match = /^steps\.(\d+)\.(\w+)$/.exec(field);
  if (!match) return field === "pipeline_name" ? "Pipeline name" : field === "steps" ? "Steps" : field;
  const step = steps[Number(match[1])];
  return `Step ${Number(match[1]) + 1}${step?.name ? ` (${step.name})` : ""} ${match[2]!.replace("_", " ")}`;
}

function focusFirstError(): void {
  setTimeout(
    () =>
      (
        document.querySelector<HTMLElement>('[aria-invalid="true"]') ?? document.querySelector<HTMLElement>(".alert")
      )?.focus(),
    0,
  );
}
