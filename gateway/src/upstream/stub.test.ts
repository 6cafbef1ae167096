// The stub upstreams hand a handler the request a real service would decode: what the
// gateway sends, through the method's own serializers.
import { describe, expect, test } from "bun:test";
import { stubUpstreams } from "./stub";

describe("stub upstreams", () => {
  test("a handler sees the request as the service decodes it: int64 as a decimal string, defaults filled in", async () => {
    let seen: unknown;
    const upstreams = stubUpstreams({
      users: {
        CreateUser: (request) => {
          seen = request;
          return { id: "7", name: request.name, email: request.email, roles: [], created_at: null };
        },
      },
    });
    await upstreams.users.call("CreateUser", { id: 7, name: "Ada", email: "ada@example.com" }, { requestId: "r1" });
    expect(seen).toMatchObject({ id: "7", name: "Ada", email: "ada@example.com", roles: [] });
    expect(upstreams.users.callsOf("CreateUser")[0]?.request).toEqual(seen);
  });
});
