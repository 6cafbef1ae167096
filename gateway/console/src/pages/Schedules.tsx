// Recurring schedules: the list (cron, time zone, next and last run, paused),
// pause/resume, delete after an inline confirmation, and the create form.
import { useState } from "preact/hooks";
import { deleteSchedule, errorText, pauseSchedule, resumeSchedule } from "../api";
import { Alert, formatTime, Pager, PageTitle, ScrollRegion } from "../components";
import { usePagedList } from "../pagedList";
import { Link } from "../router";
import type { Schedule } from "../types";
import { ScheduleForm } from "./ScheduleForm";

export function Schedules() {
  const { page, error, pager, reload } = usePagedList<Schedule>("/schedules/");
  const [busy, setBusy] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [note, setNote] = useState("");
  const [actionError, setActionError] = useState("");
  const act = async (schedule: Schedule, what: "pause" | "resume" | "delete") => {
    setBusy(schedule.id);
    setNote("");
    setActionError("");
    try {
      if (what === "pause") await pauseSchedule(schedule.id);
      else if (what === "resume") await resumeSchedule(schedule.id);
      else await deleteSchedule(schedule.id);
      setNote(`${what === "pause" ? "Paused" : what === "resume" ? "Resumed" : "Deleted"} “${schedule.name}”.`);
      setConfirming(null);
      reload();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <PageTitle>Schedules</PageTitle>
      <ScheduleForm
        onCreated={(s) => {
          setNote(`Created “${s.name}”.`);
          reload();
        }}
      />
      <h2>Your schedules</h2>
      <p class="hint" aria-live="polite">
        {page ? `${page.items.length} on this page · refreshed every 5 s` : "Loading…"}
      </p>
      {note && <Alert kind="info">{note}</Alert>}
      {actionError && <Alert>{actionError}</Alert>}
      {error && <Alert>{error}</Alert>}
      <ScrollRegion label="Schedules table">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Cron (time zone)</th>
              <th scope="col">Job</th>
              <th scope="col">State</th>
              <th scope="col">Next run</th>
              <th scope="col">Last fired</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((s) => (
              <tr key={s.id} data-schedule={s.id}>
                <td>{s.name}</td>
                <td data-col="cron">
                  <code>{s.cron}</code>
                  <br />
                  <span class="hint">{s.time_zone}</span>
                </td>
                <td data-col="job">
                  {s.job.job_name}
                  <br />
                  <span class="hint">{s.job.kind || "noop"}</span>
                </td>
                <td data-col="state">
                  <span class={`badge status-${s.paused ? "cancelled" : "running"}`}>
                    {s.paused ? "paused" : "active"}
                  </span>
                </td>
                <td data-col="next">{formatTime(s.next_run_at)}</td>
                <td data-col="last">
                  {s.last_run_at ? formatTime(s.last_run_at) : "never"}
                  {s.last_job_id !== null && (
                    <>
                      <br />
                      <Link href={`/ui/jobs/${s.last_job_id}`}>job #{s.last_job_id}</Link>
                    </>
                  )}
                </td>
                <td class="row-actions">
                  {confirming === s.id ? (
                    <span>
                      <span>Delete “{s.name}”? Its jobs stay.</span>{" "}
                      <button type="button" class="danger" disabled={busy === s.id} onClick={() => act(s, "delete")}>
                        Yes, delete
                      </button>{" "}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </span>
                  ) : (
                    <>
                      <button
                        type="button"
                        disabled={busy === s.id}
                        aria-label={`${s.paused ? "Resume" : "Pause"} ${s.name}`}
                        onClick={() => act(s, s.paused ? "resume" : "pause")}
                      >
                        {s.paused ? "Resume" : "Pause"}
                      </button>{" "}
                      <button
                        type="button"
                        class="danger"
                        disabled={busy === s.id}
                        aria-label={`Delete ${s.name}`}
                        onClick={() => setConfirming(s.id)}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={7}>No schedules yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <Pager label="Schedules" {...pager} />
      <p class="hint">
        Each firing creates a job owned by you (see Jobs). Times missed while paused are skipped; after downtime the
        first missed time fires once.
      </p>
    </>
  );
}
