// The schedule methods of JobsService: wire types in, domain calls, wire types out.
import { parseId, parsePageRequest, toPage, toTimestamp, unary, type Logger } from "@platform/kit";
import type { JobsServiceHandlers, Schedule as WireSchedule } from "@platform/proto";
import { validateNewSchedule, type Schedule } from "../domain/schedule";
import type { ScheduleService } from "../usecases/scheduler";
import { ownerCondition } from "./jobsHandlers";

export const SCHEDULE_RPCS = [
  "CreateSchedule",
  "GetSchedule",
  "ListSchedules",
  "PauseSchedule",
  "ResumeSchedule",
  "DeleteSchedule",
] as const;
export type ScheduleRpc = (typeof SCHEDULE_RPCS)[number];
/** The methods of JobsService by name, without grpc-js's index signature. */
type Rpc = keyof { [K in keyof JobsServiceHandlers as string extends K ? never : K]: unknown };
/** The JobsService methods other than the schedule ones (jobsHandlers' part). */
export type JobRpcHandlers = Pick<JobsServiceHandlers, Exclude<Rpc, ScheduleRpc>>;

const timestamp = (date: Date | null) => (date === null ? null : toTimestamp(date));

export function toWireSchedule(schedule: Schedule): WireSchedule {
  return {
    id: schedule.id,
    name: schedule.name,
    cron: schedule.cron,
    time_zone: schedule.timeZone,
    job: {
      job_name: schedule.job.name,
      kind: schedule.job.kind,
      payload: schedule.job.payload ?? "",
      max_attempts: schedule.job.maxAttempts,
    },
    owner: schedule.owner,
    paused: schedule.paused,
    next_run_at: timestamp(schedule.nextRunAt),
    last_run_at: timestamp(schedule.lastRunAt),
    last_job_id: schedule.lastJobId ?? 0,
    created_at: toTimestamp(schedule.createdAt),
    updated_at: toTimestamp(schedule.updatedAt),
  };
}

export function scheduleHandlers(
  schedules: ScheduleService,
  logger: Logger,
  clock: () => Date = () => new Date(),
): Pick<JobsServiceHandlers, ScheduleRpc> {
  return {
    CreateSchedule: unary("CreateSchedule", logger, async (request, ctx) => {
      const schedule = await schedules.create(
        validateNewSchedule(
          {
            name: request.name,
            cron: request.cron,
            timeZone: request.time_zone,
            job: {
              name: request.job?.job_name ?? "",
              kind: request.job?.kind ?? "",
              payload: request.job?.payload ?? "",
              maxAttempts: request.job?.max_attempts ?? 0,
            },
            owner: request.owner,
            paused: request.paused,
          },
          clock(),
        ),
      );
      ctx.logger.info({ scheduleId: schedule.id, cron: schedule.cron }, "schedule created");
      return toWireSchedule(schedule);
    }),

    GetSchedule: unary("GetSchedule", logger, async (request) =>
      toWireSchedule(await schedules.get(parseId("id", request.id), ownerCondition(request.owner))),
    ),

    ListSchedules: unary("ListSchedules", logger, async (request) => {
      const page = parsePageRequest(request.page_size, request.page_token);
      const { items, nextPageToken } = toPage(await schedules.list(page, ownerCondition(request.owner)), page.limit);
      return { schedules: items.map(toWireSchedule), next_page_token: nextPageToken };
    }),

    PauseSchedule: unary("PauseSchedule", logger, async (request, ctx) => {
      const schedule = await schedules.pause(parseId("id", request.id), ownerCondition(request.owner));
      ctx.logger.info({ scheduleId: schedule.id }, "schedule paused");
      return toWireSchedule(schedule);
    }),

    ResumeSchedule: unary("ResumeSchedule", logger, async (request, ctx) => {
      const schedule = await schedules.resume(parseId("id", request.id), ownerCondition(request.owner));
      ctx.logger.info({ scheduleId: schedule.id }, "schedule resumed");
      return toWireSchedule(schedule);
    }),

    DeleteSchedule: unary("DeleteSchedule", logger, async (request, ctx) => {
      const schedule = await schedules.delete(parseId("id", request.id), ownerCondition(request.owner));
      ctx.logger.info({ scheduleId: schedule.id }, "schedule deleted");
      return toWireSchedule(schedule);
    }),
  };
}
