// pipelines run | get | list | watch | cancel
import { unwrap } from "../../api";
import type { NewPipeline } from "../../models";
import { defineCommand, type Group, parseId } from "../args";
import { UsageError } from "../exitCodes";
import { nextPageHint, PIPELINE_COLUMNS, pipelineDetails, table } from "../format";
import type { Session } from "../session";
import { followPipeline, PAGE_OPTIONS, pageQueryOf, WATCH_OPTION } from "./shared";

const command = defineCommand<Session>();

/**
 * A pipeline file: the body of POST /pipelines/ (`pipeline_name`, `steps`) in YAML
 * or JSON (JSON is YAML), read with Bun's YAML parser. Only its shape as a mapping
 * is checked here; the gateway checks the fields and names any it refuses.
 */
export function parsePipelineFile(text: string, source: string): NewPipeline {
  let parsed: unknown;
  try {
    parsed = Bun.YAML.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${source} must hold a mapping with pipeline_name and steps`);
  return parsed as NewPipeline;
}

async function readPipelineFile(session: Session, path: string): Promise<string> {
  if (path === "-") return session.io.readStdin();
  const file = Bun.file(path);
  if (!(await file.exists())) throw new UsageError(`no such file: ${path}`);
  try {
    return await file.text();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

export const pipelines: Group<Session> = {
  summary: "pipelines",
  commands: {
    run: command({
      summary: "create a pipeline from a YAML or JSON file (- for stdin); its first steps start at once",
      args: ["<file>"],
      options: {
        name: {
          type: "string",
          short: "n",
          value: "<name>",
          description: "the pipeline's name, over the file's pipeline_name",
        },
        "idempotency-key": {
          type: "string",
          value: "<key>",
          description: "a repeat with the same key returns the first pipeline",
        },
        ...WATCH_OPTION,
      },
      async run({ args, values, context: session }) {
        const source = args.file!;
        const body = parsePipelineFile(await readPipelineFile(session, source), source === "-" ? "stdin" : source);
        if (values.name !== undefined) body.pipeline_name = values.name;
        const key = values["idempotency-key"];
        const pipeline = await unwrap(
          session.api().pipelines.post(body, key ? { headers: { "idempotency-key": key } } : undefined),
        );
        if (!values.watch) {
          session.print(pipeline, () => pipelineDetails(pipeline));
          return 0;
        }
        return followPipeline(session, pipeline.id);
      },
    }),
    get: command({
      summary: "show a pipeline and its steps",
      args: ["<id>"],
      async run({ args, context: session }) {
        const pipeline = await unwrap(
          session
            .api()
            .pipelines({ id: parseId(args.id) })
            .get(),
        );
        session.print(pipeline, () => pipelineDetails(pipeline));
      },
    }),
    list: command({
      summary: "list your pipelines (an admin: everyone's)",
      options: {
        status: {
          type: "string",
          short: "s",
          value: "<status>",
          description: "only PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED",
        },
        ...PAGE_OPTIONS,
      },
      async run({ values, context: session }) {
        const page = await unwrap(
          session.api().pipelines.get({
            query: {
              status: values.status,
              ...pageQueryOf(values),
            },
          }),
        );
        session.print(page, () =>
          [table(page.items, PIPELINE_COLUMNS), nextPageHint(page.next_page_token)].filter(Boolean).join("\n"),
        );
      },
    }),
    watch: command({
      summary: "follow a pipeline until it and its steps are final; exit 1 unless it SUCCEEDED",
      args: ["<id>"],
      run: ({ args, context: session }) => followPipeline(session, parseId(args.id)),
    }),
    cancel: command({
      summary: "cancel a pipeline and the jobs of its running steps",
      args: ["<id>"],
      async run({ args, context: session }) {
        const pipeline = await unwrap(
          session
            .api()
            .pipelines({ id: parseId(args.id) })
            .cancel.post(),
        );
        session.print(pipeline, () => pipelineDetails(pipeline));
      },
    }),
  },
};
