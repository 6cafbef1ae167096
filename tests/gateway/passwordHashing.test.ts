// The gateway checks the admin password a bounded number of times at once
// (PASSWORD_HASH_CONCURRENCY): each argon2id run holds 64 MiB, so a burst of
// logins must not start one per CPU of the node. A login whose client goes away
// while it waits is never checked. Counted around Bun.password, not timed.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
// passwordHashesNow counts this process's runs: the gateway's hasher and the in-process users service's.
import { countPasswordRuns, eventually, passwordHashesNow } from "@platform/kit/testing";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

// Every login runs argon2id (~0.2 s each, one at a time): more than bun's 5 s default.
setDefaultTimeout(30_000);

let gw: GatewayFixture;
const runs = countPasswordRuns();

beforeAll(async () => {
  gw = await startGatewayFixture({ PASSWORD_HASH_CONCURRENCY: "1" });
});
afterAll(async () => {
  runs.restore();
  await gw.close();
});

test("a burst of admin logins is checked one at a time, and every one is answered", async () => {
  const login = (password: string) =>
    gw.req("POST", "/login", { body: { username: "admin", password } }).then((response) => response.status);
  const statuses = await Promise.all(["secret", "wrong-1", "wrong-2", "secret", "wrong-3"].map(login));
  expect(statuses).toEqual([200, 401, 401, 200, 401]);
  // The admin password's own hash (made by the first login) and five checks, one at a time.
  expect(runs.counts).toEqual({ now: 0, most: 1, started: 6 });
});

/** A login through app.handle whose client can go away (abort()), as a closed connection aborts request.signal. */
function abandonableLogin(username: string, password: string) {
  const client = new AbortController();
  const response = gw.app.handle(
    new Request("http://localhost/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
      signal: client.signal,
    }),
  );
  return { response, leave: () => client.abort() };
}

test("an admin login whose client goes away while it waits for its turn is never checked: 499, no error", async () => {
  await gw.req("POST", "/login", { body: { username: "admin", password: "secret" } });
  runs.reset();
  const first = gw.req("POST", "/login", { body: { username: "admin", password: "wrong-first" } });
  const gone = abandonableLogin("admin", "wrong-gone");
  await eventually(
    async () => ((await passwordHashesNow()).waiting === 1 ? true : undefined),
    10_000,
    "the second check to wait",
  );
  gone.leave();
  const response = await gone.response;
  expect(response.status).toBe(499);
  expect(await response.json()).toMatchObject({ status: 499, title: "Client Closed Request" });
  expect((await first).status).toBe(401);
  expect(runs.counts).toMatchObject({ started: 1, now: 0 });
});

test("a user's login whose client goes away cancels its VerifyCredentials: the users service never checks it", async () => {
  const { subject } = await gw.account(["user"]);
  runs.reset();
  // The users service checks two at a time (its default): the third waits, and its client leaves.
  const checking = ["wrong-1", "wrong-2"].map((password) =>
    gw.req("POST", "/login", { body: { username: subject, password } }),
  );
  await eventually(async () => (runs.counts.now === 2 ? true : undefined), 10_000, "two checks to run");
  const gone = abandonableLogin(subject, "wrong-gone");
  await eventually(
    async () => ((await passwordHashesNow()).waiting === 1 ? true : undefined),
    10_000,
    "the third check to wait",
  );
  gone.leave();
  expect((await gone.response).status).toBe(499);
  expect((await Promise.all(checking)).map((r) => r.status)).toEqual([401, 401]);
  expect(runs.counts).toMatchObject({ started: 2, now: 0 });
});
