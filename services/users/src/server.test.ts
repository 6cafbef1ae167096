// The users service over a real gRPC server, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, spyOn, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import {
  checkHealth,
  createHealthClient,
  decodeFieldViolations,
  openDatabase,
  REQUEST_ID_HEADER,
  type Db,
  type RunningGrpcServer,
} from "@platform/kit";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import {
  SERVICE_NAMES,
  users,
  type ListUsersResponse__Output,
  type User__Output,
  type VerifyCredentialsResponse__Output,
} from "@platform/proto";
import { startUsersServer } from "./server";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

describe.each(TEST_BACKENDS)("users service on %s", (backend) => {
  let server: RunningGrpcServer;
  let client: grpc.Client;
  let db: Db;
  let url: string;

  const start = async () => {
    db = openDatabase("users", { url, dataDir: "", poolSize: 8 });
    server = await startUsersServer(TEST_SERVER_CONFIG, quietLogger(), db);
    client = new users.UsersService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  };
  const stop = async () => {
    client.close();
    await server.shutdown();
    await db.close();
  };

  beforeAll(async () => {
    url = await createTestDatabaseUrl(backend);
    await start();
  });
  afterAll(stop);

  const createUser = (request: {
    id?: string | number;
    name: string;
    email: string;
    password?: string;
    roles?: (string | number)[];
  }) => call<typeof request, User__Output>(client, "CreateUser", request);
  const verify = (email: string, password: string) =>
    call<{ email: string; password: string }, VerifyCredentialsResponse__Output>(client, "VerifyCredentials", {
      email,
      password,
    });
  const getUser = (id: string) => call<{ id: string }, User__Output>(client, "GetUser", { id });
  const listUsers = (page_size: number, page_token = "") =>
    call<{ page_size: number; page_token: string }, ListUsersResponse__Output>(client, "ListUsers", {
      page_size,
      page_token,
    });

  describe("CreateUser and GetUser", () => {
    test("honours an explicit id and returns what was stored", async () => {
      const created = await createUser({ id: "1", name: "John Doe", email: "john@example.com" });
      expect(created).toMatchObject({ id: "1", name: "John Doe", email: "john@example.com", roles: ["ROLE_USER"] });
      expect(Number(created.created_at?.seconds)).toBeGreaterThan(0);
      expect(await getUser("1")).toEqual(created);
    });

    test("assigns the next id when none is given", async () => {
      const created = await createUser({ name: "Ann", email: "ann@example.com" });
      expect(created.id).toBe("2");
    });

    test("trims names and emails", async () => {
      const created = await createUser({ name: "  Zoë  ", email: " zoe@example.com " });
      expect(created).toMatchObject({ name: "Zoë", email: "zoe@example.com" });
    });

    test("a taken id is ALREADY_EXISTS", async () => {
      const error = await grpcError(createUser({ id: "1", name: "Other", email: "other@example.com" }));
      expect(error.code).toBe(grpc.status.ALREADY_EXISTS);
    });

    test("a taken email, in any letter case, is ALREADY_EXISTS", async () => {
      const error = await grpcError(createUser({ name: "John Again", email: "JOHN@example.com" }));
      expect(error.code).toBe(grpc.status.ALREADY_EXISTS);
    });

    test("bad fields are INVALID_ARGUMENT, each named in the google.rpc.BadRequest status details", async () => {
      const error = await grpcError(createUser({ name: " ", email: "not-an-email" }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      const violations = decodeFieldViolations(error.metadata)?.violations;
      expect(violations).toEqual([
        { field: "name", message: "must not be empty" },
        { field: "email", message: "must be a valid email address" },
      ]);
    });

    test.each([
      ["a control character in the name", { name: "a\u0000b", email: "c@example.com" }, "name"],
      ["an overlong name", { name: "x".repeat(201), email: "c@example.com" }, "name"],
      ["an email without a domain dot", { name: "C", email: "c@example" }, "email"],
      ["an id beyond 2^53-1", { id: "9007199254740993", name: "C", email: "c@example.com" }, "id"],
      ["a negative id", { id: "-4", name: "C", email: "c@example.com" }, "id"],
    ])("rejects %s", async (_, request, field) => {
      const error = await grpcError(createUser(request));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain(field);
    });

    test("an unknown id is NOT_FOUND", async () => {
      const error = await grpcError(getUser("999"));
      expect(error.code).toBe(grpc.status.NOT_FOUND);
      expect(error.details).toBe("user 999 not found");
    });

    test("id 0 is INVALID_ARGUMENT, not a lookup", async () => {
      expect((await grpcError(getUser("0"))).code).toBe(grpc.status.INVALID_ARGUMENT);
    });
  });

  describe("ListUsers", () => {
    test("pages through every user in id order with a cursor", async () => {
      for (let i = 0; i < 5; i++) await createUser({ name: `Page ${i}`, email: `page${i}@example.com` });
      const seen: string[] = [];
      let token = "";
      let pages = 0;
      do {
        const page = await listUsers(3, token);
        seen.push(...page.users.map((u) => u.id));
        token = page.next_page_token;
        pages++;
      } while (token !== "");
      expect(seen).toEqual([...seen].sort((a, b) => Number(a) - Number(b)));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(8);
      expect(pages).toBe(3);
    });

    test("a forged page token is INVALID_ARGUMENT", async () => {
      expect((await grpcError(listUsers(2, "bm90LWEtdG9rZW4"))).code).toBe(grpc.status.INVALID_ARGUMENT);
    });
  });

  describe("credentials", () => {
    const PASSWORD = "correct horse battery staple";

    test("a user created with a password and roles: the roles come back, nothing about the password does", async () => {
      const created = await createUser({
        name: "Pat",
        email: "pat@example.com",
        password: PASSWORD,
        roles: ["ROLE_USER", "ROLE_ADMIN", "ROLE_USER"],
      });
      expect(created.roles).toEqual(["ROLE_ADMIN", "ROLE_USER"]);
      expect(Object.keys(created).sort()).toEqual(["created_at", "email", "id", "name", "roles"]);
      const read = await getUser(created.id);
      expect(read).toEqual(created);
      expect(JSON.stringify([created, read, await listUsers(500)])).not.toMatch(/argon2|correct horse/);
    });

    test("a worker account: ROLE_WORKER is stored and returned, and verifying its password gives it back", async () => {
      const created = await createUser({
        name: "Runner",
        email: "runner@example.com",
        password: PASSWORD,
        roles: ["ROLE_WORKER"],
      });
      expect(created.roles).toEqual(["ROLE_WORKER"]);
      expect((await getUser(created.id)).roles).toEqual(["ROLE_WORKER"]);
      expect((await verify("runner@example.com", PASSWORD)).user?.roles).toEqual(["ROLE_WORKER"]);
    });

    test("the password is stored as an argon2id hash, never as given", async () => {
      const rows = await db.all<{ password_hash: string | null }>("SELECT password_hash FROM users WHERE email = $1", [
        "pat@example.com",
      ]);
      expect(rows[0]!.password_hash).toStartWith("$argon2id$");
      expect(rows[0]!.password_hash).not.toContain(PASSWORD);
      expect(await Bun.password.verify(PASSWORD, rows[0]!.password_hash!)).toBe(true);
    });

    test("VerifyCredentials accepts the right password, with the email in any letter case", async () => {
      const result = await verify("  PAT@Example.COM ", PASSWORD);
      expect(result.valid).toBe(true);
      expect(result.user).toMatchObject({ name: "Pat", email: "pat@example.com", roles: ["ROLE_ADMIN", "ROLE_USER"] });
    });

    test("a wrong password, an unknown email and a user without a password get the same answer", async () => {
      const answers = [
        await verify("pat@example.com", `${PASSWORD}!`),
        await verify("nobody@example.com", PASSWORD),
        await verify("john@example.com", PASSWORD),
      ];
      for (const answer of answers) expect(answer).toEqual({ valid: false, user: null });
    });

    test("an unknown email costs the same argon2id run as a wrong password (one verification each, counted)", async () => {
      const runs = spyOn(Bun.password, "verify");
      try {
        const argon2Runs = async (email: string) => {
          runs.mockClear();
          expect(await verify(email, "not the password at all")).toEqual({ valid: false, user: null });
          return runs.mock.calls.map(([, hash]) => String(hash).split("$")[1]);
        };
        // Counted, not timed: a skipped hash would show as zero runs, whatever the machine's load.
        expect(await argon2Runs("pat@example.com")).toEqual(["argon2id"]);
        expect(await argon2Runs("nobody@example.com")).toEqual(["argon2id"]);
      } finally {
        runs.mockRestore();
      }
    });

    test.each([
      ["eleven characters", "x".repeat(11), "must be at least 12 characters"],
      ["eleven emoji (code points, not UTF-16 units)", "🔑".repeat(11), "must be at least 12 characters"],
      ["1025 characters", "x".repeat(1025), "must be at most 1024 characters"],
    ])("a password of %s is INVALID_ARGUMENT naming the field, without echoing it", async (_, password, message) => {
      const error = await grpcError(createUser({ name: "Short", email: "short@example.com", password }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(decodeFieldViolations(error.metadata)).toEqual({
        violations: [{ field: "password", message }],
        omitted: 0,
      });
      expect(error.details).not.toContain(password);
    });

    test("12 and 1024 characters are accepted", async () => {
      await createUser({ name: "Twelve", email: "twelve@example.com", password: "x".repeat(12) });
      await createUser({ name: "Long", email: "long@example.com", password: "y".repeat(1024) });
      expect((await verify("long@example.com", "y".repeat(1024))).valid).toBe(true);
    });

    test("an empty password is refused, not taken as 'no password'", async () => {
      const error = await grpcError(createUser({ name: "Empty", email: "empty@example.com", password: "" }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain("password");
    });

    test.each([[["ROLE_UNSPECIFIED"]], [[7]]])("roles %p are INVALID_ARGUMENT", async (roles) => {
      const error = await grpcError(createUser({ name: "Odd", email: "odd@example.com", roles }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain("roles");
    });

    test("VerifyCredentials refuses an empty email or password as INVALID_ARGUMENT", async () => {
      expect((await grpcError(verify("", PASSWORD))).code).toBe(grpc.status.INVALID_ARGUMENT);
      expect((await grpcError(verify("pat@example.com", ""))).code).toBe(grpc.status.INVALID_ARGUMENT);
    });
  });

  describe("storage", () => {
    test("assigned ids skip ids that were taken explicitly", async () => {
      const before = await listUsers(500);
      const next = Math.max(...before.users.map((u) => Number(u.id))) + 1;
      await createUser({ id: String(next), name: "Explicit", email: "explicit@example.com" });
      await createUser({ id: String(next + 1), name: "Explicit 2", email: "explicit2@example.com" });
      const assigned = await createUser({ name: "Assigned", email: "assigned@example.com" });
      expect(Number(assigned.id)).toBe(next + 2);
    });

    test("the largest id does not end the id space", async () => {
      await createUser({ id: String(Number.MAX_SAFE_INTEGER), name: "Max", email: "max@example.com" });
      const after = await createUser({ name: "After max", email: "aftermax@example.com" });
      expect(Number(after.id)).toBeLessThan(1000);
    });

    test("concurrent creates get distinct ids; of concurrent duplicates exactly one wins", async () => {
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createUser({ name: `C${i}`, email: `c${i}@example.com` })),
      );
      expect(new Set(created.map((u) => u.id)).size).toBe(20);
      const racing = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          createUser({ name: `D${i}`, email: i % 2 ? "DUP@example.com" : "dup@example.com" }),
        ),
      );
      expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of racing)
        if (r.status === "rejected") expect((r.reason as grpc.ServiceError).code).toBe(grpc.status.ALREADY_EXISTS);
    });

    test("paging while others insert never repeats or skips a user that was there before", async () => {
      const existing = new Set<string>();
      let token = "";
      do {
        const page = await listUsers(500, token);
        page.users.forEach((u) => existing.add(u.id));
        token = page.next_page_token;
      } while (token);
      const inserting = Promise.all(
        Array.from({ length: 15 }, (_, i) => createUser({ name: `Late ${i}`, email: `late${i}@example.com` })),
      );
      const seen: string[] = [];
      do {
        const page = await listUsers(4, token);
        seen.push(...page.users.map((u) => u.id));
        token = page.next_page_token;
      } while (token);
      await inserting;
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of existing) expect(seen).toContain(id);
    });

    test("everything survives a restart", async () => {
      const before = await listUsers(500);
      await stop();
      await start();
      expect((await listUsers(500)).users).toEqual(before.users);
      expect((await grpcError(createUser({ name: "John Again", email: "john@EXAMPLE.com" }))).code).toBe(
        grpc.status.ALREADY_EXISTS,
      );
    });
  });

  describe("serving", () => {
    test("grpc.health.v1 reports SERVING for the service and the server", async () => {
      const health = createHealthClient(`127.0.0.1:${server.port}`);
      expect(await checkHealth(health, SERVICE_NAMES.users, 2_000)).toBe("SERVING");
      expect(await checkHealth(health, "", 2_000)).toBe("SERVING");
      health.close();
    });

    test("a request id in metadata is accepted", async () => {
      const metadata = new grpc.Metadata();
      metadata.set(REQUEST_ID_HEADER, "req-123");
      const user = await call<{ id: string }, User__Output>(client, "GetUser", { id: "1" }, metadata);
      expect(user.id).toBe("1");
    });
  });
});
