// /schedules: recurring schedules (cron expression, time zone, job template)
// through the jobs service, which fires them. Users reach their own schedules,
// admins everyone's (ownerScope); workers get 403. The jobs a schedule creates
// belong to its owner and show under /jobs.
import type { Schedule__Output } from "@platform/proto";
import { MAX_ATTEMPTS_MAX, MAX_ATTEMPTS_MESSAGE, MAX_ATTEMPTS_MIN, NAME_MAX_LENGTH } from "@platform/proto/rules";
import { Elysia, t, type Static } from "elysia";
import { AUTH, BODY, BY_ID, NoContent, moduleDoc, responses, UPSTREAM } from "../../http/responses";
import {
  created,
  displayName,
  idParams,
  int,
  jsonAny,
  nullable,
  PageOf,
  pageQuery,
  pageSizeOf,
  timestamp,
  rfc3339,
} from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { newOwner, ownedById, ownerScope } from "../../security/authorization";
import type { Upstreams } from "../../upstream";
import { kindName } from "../jobs";

/** JSON text from the service → the JSON value it holds (null when empty). */
const jsonValue = (text: string): unknown => (text === "" ? null : JSON.parse(text));

export const Schedule = t.Object({
  id: int({ minimum: 1 }),
  name: t.String(),
  cron: t.String(),
  time_zone: t.String(),
  job: t.Object({
    job_name: t.String(),
    kind: t.String(),
    payload: jsonAny("The created jobs' input; null when none."),
    max_attempts: int({ minimum: 0 }),
  }),
  owner: t.String(),
  paused: t.Boolean(),
  next_run_at: timestamp(),
  last_run_at: timestamp(),
  last_job_id: nullable(
    int({
      minimum: 1,
      description: "The job the latest firing created; null until it first fires, or once that job is gone.",
    }),
  ),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export type HttpSchedule = Static<typeof Schedule>;

export function toHttpSchedule(schedule: Schedule__Output): HttpSchedule {
  return {
    id: Number(schedule.id),
    name: schedule.name,
    cron: schedule.cron,
    time_zone: schedule.time_zone,
    job: {
      job_name: schedule.job?.job_name ?? "",
      kind: schedule.job?.kind ?? "",
      payload: jsonValue(schedule.job?.payload ?? ""),
      max_attempts: schedule.job?.max_attempts ?? 0,
    },
    owner: schedule.owner,
    paused: schedule.paused,
    next_run_at: rfc3339(schedule.next_run_at),
    last_run_at: rfc3339(schedule.last_run_at),
    // The job the latest firing created; null until it first fires, or once that job is gone (retention).
    last_job_id: Number(schedule.last_job_id) || null,
    created_at: rfc3339(schedule.created_at),
    updated_at: rfc3339(schedule.updated_at),
  };
}

const CRON_DESCRIPTION =
  "5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), read in `time_zone`; " +
  "a bad expression is 422 naming `cron`.";

export const schedulesModule = (config: TokenConfig, upstreams: Pick<Upstreams, "jobs">) =>
  new Elysia({ name: "schedules", prefix: "/schedules" })
    .use(withRequestId)
    .use(auth(config))
    .guard(moduleDoc("schedules", { bearer: true }))
    .post(
      "/",
      async ({ body, principal, requestId, set }) => {
        const owner = newOwner(principal);
        const schedule = await upstreams.jobs.call(
          "CreateSchedule",
          {
            name: body.name,
            cron: body.cron,
            time_zone: body.time_zone ?? "",
            job: {
              job_name: body.job.job_name,
              kind: body.job.kind ?? "",
              payload: body.job.payload === undefined ? "" : JSON.stringify(body.job.payload),
              max_attempts: body.job.max_attempts ?? 0,
            },
            owner,
            paused: body.paused ?? false,
          },
          { requestId },
        );
        return created(set, `/schedules/${schedule.id}`, toHttpSchedule(schedule));
      },
      {
        detail: {
          summary: "Create a recurring schedule",
          description:
            "201 with the schedule and its next run. Each run creates a job from `job`, owned by the caller. " +
            "One jobs replica fires at a time and each scheduled time creates at most one job; after downtime " +
            "the first missed time fires once and the schedule continues from the next time after now.",
        },
        body: t.Object(
          {
            name: displayName(NAME_MAX_LENGTH),
            cron: t.String({ minLength: 1, maxLength: 200, description: CRON_DESCRIPTION }),
            time_zone: t.Optional(
              t.String({ maxLength: 64, description: 'An IANA time zone, e.g. "Europe/Berlin"; "UTC" when absent.' }),
            ),
            job: t.Object(
              {
                job_name: displayName(NAME_MAX_LENGTH),
                kind: t.Optional(kindName),
                payload: t.Optional(t.Unknown()),
                max_attempts: t.Optional(
                  int({ minimum: MAX_ATTEMPTS_MIN, maximum: MAX_ATTEMPTS_MAX, error: MAX_ATTEMPTS_MESSAGE }),
                ),
              },
              { additionalProperties: false },
            ),
            paused: t.Optional(t.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Schedule }, ...BODY, ...AUTH, ...UPSTREAM),
      },
    )
    .get(
      "/",
      async ({ query, principal, requestId }) => {
        const page = await upstreams.jobs.call(
          "ListSchedules",
          { page_size: pageSizeOf(query), page_token: query.page_token ?? "", owner: ownerScope(principal) },
          { requestId },
        );
        return { items: page.schedules.map(toHttpSchedule), next_page_token: page.next_page_token };
      },
      { query: pageQuery, response: responses({ 200: PageOf(Schedule) }, ...AUTH, 422, ...UPSTREAM) },
    )
    .get(
      "/:id",
      async ({ params, principal, requestId }) =>
        toHttpSchedule(await upstreams.jobs.call("GetSchedule", ownedById(principal, params.id), { requestId })),
      { params: idParams, response: responses({ 200: Schedule }, ...AUTH, ...BY_ID, ...UPSTREAM) },
    )
    .post(
      "/:id/pause",
      async ({ params, principal, requestId }) =>
        toHttpSchedule(await upstreams.jobs.call("PauseSchedule", ownedById(principal, params.id), { requestId })),
      {
        params: idParams,
        response: responses({ 200: Schedule }, ...AUTH, ...BY_ID, 409, ...UPSTREAM),
        detail: { summary: "Pause a schedule", description: "Already paused: 409." },
      },
    )
    .post(
      "/:id/resume",
      async ({ params, principal, requestId }) =>
        toHttpSchedule(await upstreams.jobs.call("ResumeSchedule", ownedById(principal, params.id), { requestId })),
      {
        params: idParams,
        response: responses({ 200: Schedule }, ...AUTH, ...BY_ID, 409, ...UPSTREAM),
        detail: {
          summary: "Resume a schedule",
          description: "It fires from the next time after now; times missed while paused are skipped. Not paused: 409.",
        },
      },
    )
    .delete(
      "/:id",
      async ({ params, principal, requestId, set }) => {
        await upstreams.jobs.call("DeleteSchedule", ownedById(principal, params.id), { requestId });
        return new Response(null, { status: 204, headers: set.headers as Record<string, string> });
      },
      {
        params: idParams,
        response: responses({ 204: NoContent }, ...AUTH, ...BY_ID, ...UPSTREAM),
        detail: { summary: "Delete a schedule", description: "204; the jobs it created stay." },
      },
    );
