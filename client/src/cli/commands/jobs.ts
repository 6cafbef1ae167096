// jobs submit | get | list | watch | cancel | retry
import { unwrap } from "../../api";
import { defineCommand, type Group, parseId, parseIntOption, parseJsonOption } from "../args";
import { JOB_COLUMNS, jobDetails, nextPageHint, table } from "../format";
import type { Session } from "../session";
import { followJob, PAGE_OPTIONS, pageQueryOf, WATCH_OPTION } from "./shared";

const command = defineCommand<Session>();

const byId = (summary: string, call: "cancel" | "retry") =>
  command({
    summary,
    args: ["<id>"],
    async run({ args, context: session }) {
      const job = await unwrap(
        session
          .api()
          .jobs({ id: parseId(args.id) })
          [call].post(),
      );
      session.print(job, () => jobDetails(job));
    },
  });

export const jobs: Group<Session> = {
  summary: "jobs",
  commands: {
    submit: command({
      summary: "create a job (PENDING) for a worker to run",
      args: ["<name>"],
      options: {
        kind: { type: "string", short: "k", value: "<kind>", description: "which worker handler runs it, e.g. echo" },
        payload: { type: "string", short: "p", value: "<json>", description: "the job's input, as JSON" },
        priority: { type: "string", value: "<n>", description: "higher is claimed first (default 0)" },
        queue: { type: "string", value: "<queue>", description: "the queue it waits in" },
        "max-attempts": { type: "string", value: "<n>", description: "attempts before it FAILS" },
        "timeout-seconds": { type: "string", value: "<n>", description: "how long each attempt may run" },
        "run-at": { type: "string", value: "<time>", description: "not before this RFC 3339 time" },
        "expires-at": { type: "string", value: "<time>", description: "FAILED if not claimed by then" },
        "idempotency-key": {
          type: "string",
          value: "<key>",
          description: "a repeat with the same key returns the first job",
        },
        ...WATCH_OPTION,
      },
      async run({ args, values, context: session }) {
        const body = {
          job_name: args.name!,
          kind: values.kind,
          payload: parseJsonOption(values.payload, "payload"),
          priority: parseIntOption(values.priority, "priority"),
          queue: values.queue,
          max_attempts: parseIntOption(values["max-attempts"], "max-attempts"),
          timeout_seconds: parseIntOption(values["timeout-seconds"], "timeout-seconds"),
          run_at: values["run-at"],
          expires_at: values["expires-at"],
        };
        // Absent options are left out, not sent as null: the server's defaults apply.
        const defined = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as typeof body;
        const key = values["idempotency-key"];
        const job = await unwrap(
          session.api().jobs.post(defined, key ? { headers: { "idempotency-key": key } } : undefined),
        );
        if (!values.watch) {
          session.print(job, () => jobDetails(job));
          return 0;
        }
        if (!session.json) session.io.out(`job ${job.id} submitted`);
        return followJob(session, job.id);
      },
    }),
    get: command({
      summary: "show a job",
      args: ["<id>"],
      async run({ args, context: session }) {
        const job = await unwrap(
          session
            .api()
            .jobs({ id: parseId(args.id) })
            .get(),
        );
        session.print(job, () => jobDetails(job));
      },
    }),
    list: command({
      summary: "list your jobs (an admin: everyone's)",
      options: {
        status: {
          type: "string",
          short: "s",
          value: "<status>",
          description: "only PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED",
        },
        kind: { type: "string", short: "k", value: "<kind>", description: "only jobs of this kind" },
        queue: { type: "string", short: "q", value: "<queue>", description: "only jobs in this queue" },
        ...PAGE_OPTIONS,
      },
      async run({ values, context: session }) {
        const page = await unwrap(
          session.api().jobs.get({
            query: {
              status: values.status,
              kind: values.kind,
              queue: values.queue,
              ...pageQueryOf(values),
            },
          }),
        );
        session.print(page, () =>
          [table(page.items, JOB_COLUMNS), nextPageHint(page.next_page_token)].filter(Boolean).join("\n"),
        );
      },
    }),
    watch: command({
      summary: "follow a job until it is final; exit 1 unless it SUCCEEDED",
      args: ["<id>"],
      run: ({ args, context: session }) => followJob(session, parseId(args.id)),
    }),
    cancel: byId("cancel a job that has not finished", "cancel"),
    retry: byId("re-run a FAILED or CANCELLED job", "retry"),
  },
};
