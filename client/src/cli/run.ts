// The CLI as a function: arguments, a terminal and an environment in, an exit
// code out (main.ts is the process around it; tests call this directly).
import { ApiError, NetworkError } from "../problem";
import {
  type Command,
  type CommandTree,
  type OptionSpecs,
  commandHelp,
  isGroup,
  parseCommand,
  splitCommandPath,
  treeHelp,
} from "./args";
import { login, logout } from "./commands/account";
import { jobs } from "./commands/jobs";
import { pipelines } from "./commands/pipelines";
import { schedules } from "./commands/schedules";
import { users } from "./commands/users";
import { APP_NAME } from "./config";
import { EXIT, exitCodeOf, UsageError } from "./exitCodes";
import { describeError } from "./format";
import type { Io } from "./io";
import { type Env, Session } from "./session";

export { EXIT, type ExitCode } from "./exitCodes";

export const COMMANDS: CommandTree<Session> = { login, logout, users, jobs, pipelines, schedules };

/** Where the command words end: after one for a command, after two for a group's action. */
const complete = (words: string[]) => {
  const entry = words[0] === undefined ? undefined : COMMANDS[words[0]];
  return entry !== undefined && (!isGroup(entry) || words.length >= 2);
};

function report(io: Io, json: boolean, error: unknown, hint?: string): void {
  if (json) {
    const problem =
      error instanceof ApiError
        ? error.problem
        : { title: (error as Error)?.name ?? "Error", detail: (error as Error)?.message ?? String(error) };
    io.err(JSON.stringify({ error: problem }));
    return;
  }
  io.err(describeError(error));
  if (hint) io.err(hint);
}

export async function runCli(argv: readonly string[], io: Io, env: Env, program = APP_NAME): Promise<number> {
  const { path, rest } = splitCommandPath(argv, complete);
  const help = rest.includes("--help") || rest.includes("-h");
  const json = rest.includes("--json");
  const [name, action] = path;
  const entry = name === undefined ? undefined : COMMANDS[name];
  if (!entry) {
    if (name === undefined && help) {
      io.out(treeHelp(program, COMMANDS));
      return EXIT.ok;
    }
    io.err(treeHelp(program, COMMANDS));
    if (name !== undefined) report(io, json, new UsageError(`unknown command ${JSON.stringify(name)}`));
    return EXIT.usage;
  }
  let command: Command<OptionSpecs, Session>;
  const commandPath = isGroup(entry) ? [name!, action ?? ""] : [name!];
  if (isGroup(entry)) {
    const chosen = action === undefined ? undefined : entry.commands[action];
    if (!chosen) {
      if (action === undefined && help) {
        io.out(treeHelp(program, COMMANDS, name));
        return EXIT.ok;
      }
      io.err(treeHelp(program, COMMANDS, name));
      if (action !== undefined)
        report(io, json, new UsageError(`unknown action ${JSON.stringify(`${name} ${action}`)}`));
      return EXIT.usage;
    }
    command = chosen;
  } else command = entry;

  let session: Session | undefined;
  try {
    const { values, args } = parseCommand(command, rest);
    if (values.help) {
      io.out(commandHelp(program, commandPath, command));
      return EXIT.ok;
    }
    session = new Session(program, io, env, values);
    return (await command.run({ values, args, context: session })) ?? EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    let hint: string | undefined;
    if (code === EXIT.usage) hint = `see \`${program} ${commandPath.join(" ")} --help\``;
    else if (error instanceof NetworkError && session)
      hint = `  (gateway: ${session.url}; --url or PLATFORM_URL to change it)`;
    report(io, json, error, hint);
    return code;
  }
}
