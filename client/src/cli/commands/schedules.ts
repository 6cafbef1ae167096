// schedules list | get | create | pause | resume | delete
import { unwrap } from "../../api";
import { defineCommand, type Group, parseId, parseIntOption, parseJsonOption, required } from "../args";
import { nextPageHint, SCHEDULE_COLUMNS, scheduleDetails, table } from "../format";
import type { Session } from "../session";
import { PAGE_OPTIONS, pageQueryOf } from "./shared";

const command = defineCommand<Session>();

const change = (summary: string, call: "pause" | "resume") =>
  command({
    summary,
    args: ["<id>"],
    async run({ args, context: session }) {
      const schedule = await unwrap(
        session
          .api()
          .schedules({ id: parseId(args.id) })
          [call].post(),
      );
      session.print(schedule, () => scheduleDetails(schedule));
    },
  });

export const schedules: Group<Session> = {
  summary: "recurring schedules",
  commands: {
    list: command({
      summary: "list your schedules (an admin: everyone's)",
      options: PAGE_OPTIONS,
      async run({ values, context: session }) {
        const page = await unwrap(
          session.api().schedules.get({
            query: pageQueryOf(values),
          }),
        );
        session.print(page, () =>
          [table(page.items, SCHEDULE_COLUMNS), nextPageHint(page.next_page_token)].filter(Boolean).join("\n"),
        );
      },
    }),
    get: command({
      summary: "show a schedule",
      args: ["<id>"],
      async run({ args, context: session }) {
        const schedule = await unwrap(
          session
            .api()
            .schedules({ id: parseId(args.id) })
            .get(),
        );
        session.print(schedule, () => scheduleDetails(schedule));
      },
    }),
    create: command({
      summary: "create a schedule that submits a job at each time of a cron expression",
      options: {
        name: { type: "string", value: "<name>", description: "the schedule's name (required)" },
        cron: { type: "string", value: "<expr>", description: 'e.g. "*/5 * * * *" (required)' },
        "time-zone": { type: "string", value: "<tz>", description: "an IANA time zone (default UTC)" },
        "job-name": { type: "string", value: "<name>", description: "the name of each job (required)" },
        kind: { type: "string", short: "k", value: "<kind>", description: "each job's kind" },
        payload: { type: "string", short: "p", value: "<json>", description: "each job's input, as JSON" },
        "max-attempts": { type: "string", value: "<n>", description: "each job's attempts" },
        paused: { type: "boolean", description: "create it paused" },
      },
      async run({ values, context: session }) {
        const job = {
          job_name: required(values["job-name"], "--job-name"),
          kind: values.kind,
          payload: parseJsonOption(values.payload, "payload"),
          max_attempts: parseIntOption(values["max-attempts"], "max-attempts"),
        };
        const schedule = await unwrap(
          session.api().schedules.post({
            name: required(values.name, "--name"),
            cron: required(values.cron, "--cron"),
            ...(values["time-zone"] ? { time_zone: values["time-zone"] } : {}),
            job: Object.fromEntries(Object.entries(job).filter(([, v]) => v !== undefined)) as typeof job,
            ...(values.paused ? { paused: true } : {}),
          }),
        );
        session.print(schedule, () => scheduleDetails(schedule));
      },
    }),
    pause: change("pause a schedule", "pause"),
    resume: change("resume a paused schedule from its next time", "resume"),
    delete: command({
      summary: "delete a schedule (the jobs it created stay)",
      args: ["<id>"],
      async run({ args, context: session }) {
        const id = parseId(args.id);
        await unwrap(session.api().schedules({ id }).delete());
        session.print({ id, deleted: true }, () => `schedule ${id} deleted`);
      },
    }),
  },
};
