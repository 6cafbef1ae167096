// /users: create, read and list users through the users service.
import type { User__Output } from "@platform/proto";
import {
  EMAIL_MAX_LENGTH,
  lengthMessage,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from "@platform/proto/rules";
import { Elysia, t } from "elysia";
import {
  bodyId,
  created,
  fromWireRoles,
  idParams,
  pageQuery,
  pathId,
  rfc3339,
  toWireRole,
  type Page,
} from "../../http/wire";
import { auth, type TokenConfig } from "../../plugins/auth";
import { withRequestId } from "../../plugins/requestContext";
import { requireRole, requireUserAccess, ROLES } from "../../security/authorization";
import type { Upstreams } from "../../upstream";

export function toHttpUser(user: User__Output) {
  // Nothing about the password: the users service never sends it, and this is an allow-list anyway.
  return {
    id: Number(user.id),
    name: user.name,
    email: user.email,
    roles: fromWireRoles(user.roles),
    created_at: rfc3339(user.created_at),
  };
}
export type HttpUser = ReturnType<typeof toHttpUser>;

export const usersModule = (config: TokenConfig, upstreams: Pick<Upstreams, "users">) =>
  new Elysia({ name: "users", prefix: "/users" })
    .use(withRequestId)
    .use(auth(config))
    .post(
      "/",
      async ({ body, principal, requestId, set }) => {
        requireRole(principal, "admin");
        const user = await upstreams.users.call(
          "CreateUser",
          {
            id: String(body.id ?? 0),
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
            name: t.String({ minLength: 1, maxLength: NAME_MAX_LENGTH }),
            // What makes an email valid is the users service's rule (one definition); the
            // gateway checks only the shape, and the service's violations come back as 422s.
            email: t.String({ minLength: 1, maxLength: EMAIL_MAX_LENGTH }),
            // Write-only. Its rules are the users service's, which counts code points: this bounds only the
            // size (a string over twice the limit in UTF-16 units is over the limit in code points too).
            password: t.Optional(
              t.String({
                maxLength: 2 * PASSWORD_MAX_LENGTH,
                error: lengthMessage.atMost(PASSWORD_MAX_LENGTH),
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
      },
    )
    .get(
      "/:id",
      async ({ params, principal, requestId }) => {
        const id = pathId(params.id);
        requireUserAccess(principal, id);
        return toHttpUser(await upstreams.users.call("GetUser", { id: String(id) }, { requestId }));
      },
      { params: idParams },
    )
    .get(
      "/",
      async ({ query, principal, requestId }): Promise<Page<HttpUser>> => {
        requireRole(principal, "admin");
        const page = await upstreams.users.call(
          "ListUsers",
          { page_size: query.page_size ?? 0, page_token: query.page_token ?? "" },
          { requestId },
        );
        return { items: page.users.map(toHttpUser), next_page_token: page.next_page_token };
      },
      { query: pageQuery },
    );
