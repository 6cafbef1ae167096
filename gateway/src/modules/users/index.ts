// /users: create, read and list users through the users service.
import type { User__Output } from "@platform/proto";
import {
  EMAIL_MAX_LENGTH,
  EMAIL_MESSAGE,
  EMAIL_PATTERN,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from "@platform/proto/rules";
import { Elysia, t, type Static } from "elysia";
import { AUTH, BODY, BY_ID, moduleDoc, responses, UPSTREAM } from "../../http/responses";
import {
  bodyId,
  created,
  displayName,
  fromWireRoles,
  idParams,
  int,
  PageOf,
  pageQuery,
  pageSizeOf,
  pathId,
  rfc3339,
  timestamp,
  toWireRole,
} from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { requireRole, requireUserAccess, ROLES } from "../../security/authorization";
import type { Upstreams } from "../../upstream";

export const User = t.Object({
  id: int({ minimum: 1 }),
  name: t.String(),
  email: t.String(),
  roles: t.Array(t.UnionEnum([...ROLES])),
  created_at: timestamp(),
});
export type HttpUser = Static<typeof User>;

export function toHttpUser(user: User__Output): HttpUser {
  // Nothing about the password: the users service never sends it, and this is an allow-list anyway.
  return {
    id: Number(user.id),
    name: user.name,
    email: user.email,
    roles: fromWireRoles(user.roles),
    created_at: rfc3339(user.created_at),
  };
}

export const usersModule = (config: TokenConfig, upstreams: Pick<Upstreams, "users">) =>
  new Elysia({ name: "users", prefix: "/users" })
    .use(withRequestId)
    .use(auth(config))
    .guard(moduleDoc("users", { bearer: true }))
    .post(
      "/",
      async ({ body, principal, requestId, set }) => {
        requireRole(principal, "admin");
        const user = await upstreams.users.call(
          "CreateUser",
          {
            id: body.id ?? 0,
            name: body.name,
            email: body.email,
            password: body.password,
            roles: body.roles?.map(toWireRole),
          },
          { requestId },
        );
        return created(set, `/users/${user.id}`, toHttpUser(user));
      },
      {
        body: t.Object(
          {
            id: t.Optional(bodyId()),
            name: displayName(NAME_MAX_LENGTH),
            // The users service's rule (@platform/proto/rules), so the document states it.
            email: t.String({
              minLength: 1,
              maxLength: EMAIL_MAX_LENGTH,
              pattern: EMAIL_PATTERN,
              error: EMAIL_MESSAGE,
            }),
            // Write-only. The users service counts code points; TypeBox counts UTF-16 units, so
            // a password of many astral characters may be refused here below the stated maximum.
            password: t.Optional(
              t.String({
                minLength: PASSWORD_MIN_LENGTH,
                maxLength: PASSWORD_MAX_LENGTH,
                writeOnly: true,
                description: `Write-only: lets the user log in at POST /login with their email. ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`,
              }),
            ),
            roles: t.Optional(
              t.Array(t.UnionEnum([...ROLES], { error: `must be one of ${ROLES.join(", ")}` }), {
                minItems: 1,
                uniqueItems: true,
                error: `must be a non-empty list of distinct roles out of ${ROLES.join(", ")}`,
                description: 'Default ["user"].',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: User }, ...BODY, ...AUTH, 409, ...UPSTREAM),
      },
    )
    .get(
      "/:id",
      async ({ params, principal, requestId }) => {
        const id = pathId(params.id);
        requireUserAccess(principal, id);
        return toHttpUser(await upstreams.users.call("GetUser", { id }, { requestId }));
      },
      { params: idParams, response: responses({ 200: User }, ...AUTH, ...BY_ID, ...UPSTREAM) },
    )
    .get(
      "/",
      async ({ query, principal, requestId }) => {
        requireRole(principal, "admin");
        const page = await upstreams.users.call(
          "ListUsers",
          { page_size: pageSizeOf(query), page_token: query.page_token ?? "" },
          { requestId },
        );
        return { items: page.users.map(toHttpUser), next_page_token: page.next_page_token };
      },
      { query: pageQuery, response: responses({ 200: PageOf(User) }, ...AUTH, 422, ...UPSTREAM) },
    );
