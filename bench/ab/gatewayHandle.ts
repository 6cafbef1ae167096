// A/B helper (not part of `bun run bench`): the gateway's own CPU per request
// without gRPC or sockets: app.handle over stub upstreams (gateway/src/testing.ts)
// for GET /users/{id} and POST /users/, as the bench's whole path sends them.
// Prints CPU µs per request, median of AB_REPEATS (5) rounds of AB_N (5000).
import type { User__Output } from "@platform/proto";
import { createStubbedGateway } from "../../gateway/src/testing";

const n = Number(process.env.AB_N ?? 5000);
const repeats = Number(process.env.AB_REPEATS ?? 5);
const user = (id: unknown, name: unknown, email: unknown): User__Output => ({
  id: String(id),
  name: String(name),
  email: String(email),
  roles: ["ROLE_USER"],
  created_at: { seconds: "1764633600", nanos: 0 },
});
const gateway = createStubbedGateway(
  {},
  {
    users: {
      GetUser: (request) => user(request.id, "Bench Reader", "reader@example.com"),
      CreateUser: (request) => user("7", request.name, request.email),
    },
  },
);
const token = await gateway.token(["admin"], { uid: 1 });
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
let counter = 0;
const cases = {
  get: () => new Request("http://localhost/users/1", { headers: { authorization: headers.authorization } }),
  post: () =>
    new Request("http://localhost/users/", {
      method: "POST",
      headers,
      body: `{"name":"Bench User","email":"bench-${counter++}@example.com"}`,
    }),
};
const results: Record<string, number[]> = { get: [], post: [] };
for (let r = 0; r < repeats + 1; r++)
  for (const [name, make] of Object.entries(cases)) {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const response = await gateway.app.handle(make());
      if (response.status >= 300) throw new Error(`${name}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
    const used = process.cpuUsage(before);
    if (r > 0) results[name]!.push((used.user + used.system) / n); // round 0 warms up
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]))),
);
await gateway.close();
