// The create-a-schedule form: fields sent as typed, so the API's own messages
// (problem+json `errors`, by field name) show next to the fields they are about.
import { useState } from "preact/hooks";
import { ApiError, createSchedule, errorText } from "../api";
import { Alert, TextField } from "../components";
import type { Schedule } from "../types";
import { SUGGESTED_KINDS } from "./PipelineNew";

const EMPTY = { name: "", cron: "", time_zone: "UTC", job_name: "", kind: "", payload: "", max_attempts: "" };

export function ScheduleForm({ onCreated }: { onCreated(schedule: Schedule): void }) {
  const [fields, setFields] = useState(EMPTY);
  const [paused, setPaused] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof EMPTY) => (value: string) => setFields({ ...fields, [name]: value });
  const fail = (fieldErrors: Record<string, string>, message: string) => {
    setErrors(fieldErrors);
    setProblem(message);
    setTimeout(() => document.querySelector<HTMLElement>('.schedule-form [aria-invalid="true"]')?.focus(), 0);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const job: Record<string, unknown> = { job_name: fields.job_name };
    if (fields.kind.trim() !== "") job.kind = fields.kind;
    if (fields.payload.trim() !== "") {
      try {
        job.payload = JSON.parse(fields.payload);
      } catch {
        return fail({ "job.payload": "must be valid JSON" }, "Some fields need attention.");
      }
    }
    const attempts = fields.max_attempts.trim();
    if (attempts !== "") job.max_attempts = /^-?\d+$/.test(attempts) ? Number(attempts) : attempts;
    const body: Record<string, unknown> = { name: fields.name, cron: fields.cron, job, paused };
    if (fields.time_zone.trim() !== "") body.time_zone = fields.time_zone;
    setBusy(true);
    try {
      const created = await createSchedule(body);
      setErrors({});
      setProblem("");
      setFields(EMPTY);
      setPaused(false);
      onCreated(created);
    } catch (e) {
      if (e instanceof ApiError) fail(e.fieldErrors, e.problem.detail ?? e.message);
      else fail({}, errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card schedule-form" onSubmit={submit} noValidate aria-labelledby="create-schedule-title">
      <h2 id="create-schedule-title">Create a schedule</h2>
      {problem && <Alert>{problem}</Alert>}
      <div class="form-grid">
        <TextField id="schedule-name" label="Name" value={fields.name} error={errors.name} onInput={set("name")} />
        <TextField
          id="schedule-cron"
          label="Cron"
          value={fields.cron}
          error={errors.cron}
          hint="5 fields (minute hour day month weekday) or 6, seconds first"
          onInput={set("cron")}
        />
        <TextField
          id="schedule-time-zone"
          label="Time zone"
          value={fields.time_zone}
          error={errors.time_zone}
          hint="IANA name, e.g. Europe/Berlin"
          onInput={set("time_zone")}
        />
        <TextField
          id="schedule-job-name"
          label="Job name"
          value={fields.job_name}
          error={errors["job.job_name"]}
          onInput={set("job_name")}
        />
        <TextField
          id="schedule-kind"
          label="Kind (optional)"
          value={fields.kind}
          error={errors["job.kind"]}
          hint="noop when empty"
          list="schedule-kinds"
          onInput={set("kind")}
        />
        <TextField
          id="schedule-max-attempts"
          label="Max attempts (optional)"
          value={fields.max_attempts}
          error={errors["job.max_attempts"]}
          inputMode="numeric"
          onInput={set("max_attempts")}
        />
        <div class={`field${errors["job.payload"] ? " field-invalid" : ""}`}>
          <label for="schedule-payload">Payload (JSON, optional)</label>
          <textarea
            id="schedule-payload"
            rows={2}
            value={fields.payload}
            aria-invalid={errors["job.payload"] ? "true" : undefined}
            aria-describedby={errors["job.payload"] ? "schedule-payload-error" : undefined}
            onInput={(e) => set("payload")((e.currentTarget as HTMLTextAreaElement).value)}
          />
          {errors["job.payload"] && (
            <p class="field-error" id="schedule-payload-error">
              {errors["job.payload"]}
            </p>
          )}
        </div>
      </div>
      <datalist id="schedule-kinds">
        {SUGGESTED_KINDS.map((k) => (
          <option value={k} />
        ))}
      </datalist>
      <label class="check">
        <input
          type="checkbox"
          checked={paused}
          onChange={(e) => setPaused((e.currentTarget as HTMLInputElement).checked)}
        />
        Start paused
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Creating…" : "Create schedule"}
      </button>
    </form>
  );
}
