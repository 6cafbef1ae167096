// The gateway checks the admin password a bounded number of times at once
// (PASSWORD_HASH_CONCURRENCY): each argon2id run holds 64 MiB, so a burst of
// logins must not start one per CPU of the node. Counted around Bun.password, not timed.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { countPasswordRuns } from "@platform/kit/testing";
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
