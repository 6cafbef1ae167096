// login and logout: a token from POST /login into the config file, and out of it.
import { unwrap } from "../../api";
import { defineCommand } from "../args";
import { configPath, updateConfig } from "../config";
import { UsageError } from "../exitCodes";
import type { Session } from "../session";

const command = defineCommand<Session>();

/** The first line of piped stdin, or a prompt on a terminal. */
async function secret(session: Session, question: string): Promise<string> {
  const value = session.io.interactive
    ? await session.io.prompt(question, { secret: true })
    : ((await session.io.readStdin()).split(/\r?\n/)[0] ?? "");
  if (!value) throw new UsageError("no password given (type it at the prompt, or pipe it on stdin)");
  return value;
}

export const login = command({
  summary: "log in; the token is kept in the config file (0600) for the commands after",
  options: {
    username: {
      type: "string",
      short: "u",
      value: "<name>",
      description: "the configured account's username, or a user's email (asked for on a terminal)",
    },
  },
  async run({ values, context: session }) {
    let username = values.username;
    if (!username && session.io.interactive) username = await session.io.prompt("Username: ");
    if (!username) throw new UsageError("missing --username");
    const password = await secret(session, `Password for ${username}: `);
    const url = session.url;
    const token = await unwrap(session.api({ anonymous: true }).login.post({ username, password }));
    const expiresAt = new Date(Date.now() + token.expires_in * 1000).toISOString();
    const path = updateConfig({ url, token: token.access_token, username, expires_at: expiresAt }, session.env);
    // Never the token itself: it is in the file.
    session.print(
      { url, username, expires_at: expiresAt, config: path },
      () => `Logged in to ${url} as ${username} until ${expiresAt} (saved in ${path}).`,
    );
    return 0;
  },
});

export const logout = command({
  summary: "forget the saved token",
  run({ context: session }) {
    const path = updateConfig({ token: undefined, expires_at: undefined }, session.env);
    session.print({ config: path }, () => `Logged out (${configPath(session.env)}).`);
    return 0;
  },
});
