// users create | get | list
import { unwrap } from "../../api";
import type { NewUser } from "../../models";
import { defineCommand, type Group, parseId, required } from "../args";
import { nextPageHint, table, USER_COLUMNS, userDetails } from "../format";
import type { Session } from "../session";
import { PAGE_OPTIONS, pageQueryOf } from "./shared";

const command = defineCommand<Session>();

export const users: Group<Session> = {
  summary: "users (admin)",
  commands: {
    create: command({
      summary: "create a user",
      options: {
        name: { type: "string", value: "<name>", description: "the user's name (required)" },
        email: { type: "string", value: "<email>", description: "the user's email, also their login (required)" },
        id: { type: "string", value: "<id>", description: "the id to give it (assigned when absent)" },
        role: { type: "string", multiple: true, value: "<role>", description: "admin or user (default user)" },
        "password-stdin": { type: "boolean", description: "read the user's password (12+ characters) from stdin" },
      },
      async run({ values, context: session }) {
        const password = values["password-stdin"] ? (await session.io.readStdin()).split(/\r?\n/)[0] : undefined;
        const body = {
          name: required(values.name, "--name"),
          email: required(values.email, "--email"),
          ...(values.id === undefined ? {} : { id: parseId(values.id, "--id") }),
          ...(values.role ? { roles: values.role as NonNullable<NewUser["roles"]> } : {}),
          ...(password === undefined ? {} : { password }),
        };
        const user = await unwrap(session.api().users.post(body));
        session.print(user, () => userDetails(user));
      },
    }),
    get: command({
      summary: "show a user",
      args: ["<id>"],
      async run({ args, context: session }) {
        const user = await unwrap(
          session
            .api()
            .users({ id: parseId(args.id) })
            .get(),
        );
        session.print(user, () => userDetails(user));
      },
    }),
    list: command({
      summary: "list users in id order, a page at a time",
      options: PAGE_OPTIONS,
      async run({ values, context: session }) {
        const page = await unwrap(
          session.api().users.get({
            query: {
              ...pageQueryOf(values),
            },
          }),
        );
        session.print(page, () =>
          [table(page.items, USER_COLUMNS), nextPageHint(page.next_page_token)].filter(Boolean).join("\n"),
        );
      },
    }),
  },
};
