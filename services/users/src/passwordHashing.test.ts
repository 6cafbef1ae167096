// The users service hashes and checks passwords a bounded number at a time
// (PASSWORD_HASH_CONCURRENCY), over a real gRPC server: each argon2id run holds
// 64 MiB, so a burst of logins must not start one per CPU of the node. A check
// whose caller has gone (cancelled while it waited) never runs. Counted, not timed.
import { afterAll, beforeAll, beforeEach, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { call, countPasswordRuns, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { users, type User__Output, type VerifyCredentialsResponse__Output } from "@platform/proto";
import { startUsersServer } from "./server";

// Every call here runs argon2id (~0.2 s each, one at a time): more than bun's 5 s default.
setDefaultTimeout(30_000);

let server: RunningGrpcServer;
let client: grpc.Client;
let db: Db;
const PASSWORD = "a-long-enough-password";

beforeAll(async () => {
  db = openDatabase("users", { url: "sqlite::memory:", dataDir: "", poolSize: 1 });
  server = await startUsersServer({ ...TEST_SERVER_CONFIG, PASSWORD_HASH_CONCURRENCY: 1 }, quietLogger(), db);
  client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  await call<object, User__Output>(client, "CreateUser", { name: "Pat", email: "pat@example.com", password: PASSWORD });
});
afterAll(async () => {
  client.close();
  await server.shutdown();
  await db.close();
});

const runs = countPasswordRuns();
const inFlight = runs.counts;
beforeEach(runs.reset);
afterAll(runs.restore);

type Answer = (error: grpc.ServiceError | null, response: VerifyCredentialsResponse__Output) => void;
type VerifyMethod = (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, answer: Answer) => void;

const verify = (password: string, options: grpc.CallOptions = { deadline: Date.now() + 20_000 }) =>
  new Promise<VerifyCredentialsResponse__Output>((resolve, reject) =>
    (client as unknown as { VerifyCredentials: VerifyMethod }).VerifyCredentials(
      { email: "pat@example.com", password },
      new grpc.Metadata(),
      options,
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  );

test("a burst of logins is checked one at a time, and every one is answered", async () => {
  const answers = await Promise.all([PASSWORD, "wrong-1", "wrong-2", PASSWORD, "wrong-3"].map((pw) => verify(pw)));
  expect(answers.map((a) => a.valid)).toEqual([true, false, false, true, false]);
  expect(inFlight).toEqual({ now: 0, most: 1, started: 5 });
});

test("a check whose caller gave up while it waited is never run", async () => {
  const first = verify(PASSWORD);
  const gaveUp = verify(PASSWORD, { deadline: Date.now() + 20 });
  await expect(gaveUp).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
  expect((await first).valid).toBe(true);
  // The one after it still runs: the queue moved on.
  expect((await verify("wrong-4")).valid).toBe(false);
  expect(inFlight.started).toBe(2);
});
