// The CLI as a function (runCli) over a recording terminal: help, usage errors,
// the exit code table, --json, and the token's way from login to the next
// command, against the gateway app (stub upstreams) served on an ephemeral port.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStubbedGateway, type StubbedGateway } from "@platform/gateway/testing";
import { ApiError, NetworkError } from "../problem";
import { configPath, readConfig, writeConfig } from "./config";
import { EXIT, exitCodeOf, NotLoggedIn, UsageError } from "./exitCodes";
import type { Io } from "./io";
import { runCli } from "./run";

/** A terminal that records; stdin is `input`. */
function memoryIo(input = "") {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    interactive: false,
    readStdin: async () => input,
    prompt: async () => {
      throw new Error("no terminal in tests");
    },
  };
  return { io, out, err, stdout: () => out.join("\n"), stderr: () => err.join("\n") };
}

const problem = (status: number) => ({ type: "about:blank", title: "t", status, detail: "d" });

test.each([
  ["UsageError", EXIT.usage, new UsageError("x")],
  ["NotLoggedIn", EXIT.auth, new NotLoggedIn("x")],
  ["ApiError 401", EXIT.auth, new ApiError(401, problem(401))],
  ["ApiError 403", EXIT.auth, new ApiError(403, problem(403))],
  ["ApiError 404", EXIT.notFound, new ApiError(404, problem(404))],
  ["ApiError 409", EXIT.rejected, new ApiError(409, problem(409))],
  ["ApiError 422", EXIT.rejected, new ApiError(422, problem(422))],
  ["ApiError 429", EXIT.unavailable, new ApiError(429, problem(429))],
  ["ApiError 503", EXIT.unavailable, new ApiError(503, problem(503))],
  ["NetworkError", EXIT.unavailable, new NetworkError(new Error("refused"))],
])("%s: exit %i", (_, code, error) => {
  expect(exitCodeOf(error)).toBe(code);
});

let root: string;
let env: Record<string, string>;
let gateway: StubbedGateway;
let server: ReturnType<typeof Bun.serve>;
const wireJob = (status: string) => ({
  id: "4",
  job_name: "j",
  status: `JOB_STATUS_${status}`,
  kind: "fail",
  payload: "",
  result: "",
  error: status === "FAILED" ? "boom" : "",
  worker_id: "",
  attempts: 1,
  max_attempts: 1,
  owner: "admin",
  // The rest of a wire job: the gateway checks every answer against its declared Job.
  priority: 0,
  queue: "default",
  timeout_seconds: 0,
});

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cli-run-"));
  gateway = createStubbedGateway({}, {
    jobs: {
      GetJob: (request: { id: string }) => {
        if (request.id !== "4")
          throw Object.assign(new Error("job not found"), { code: 5, details: `job ${request.id} not found` });
        return wireJob("RUNNING");
      },
      WatchJob: () => ({ messages: [wireJob("RUNNING"), wireJob("FAILED")] }),
    },
  } as unknown as Parameters<typeof createStubbedGateway>[1]);
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (request) => gateway.app.handle(request) });
  env = { XDG_CONFIG_HOME: join(root, "config"), HOME: root, PLATFORM_URL: `http://127.0.0.1:${server.port}` };
});
afterAll(async () => {
  await server?.stop(true);
  rmSync(root, { recursive: true, force: true });
});

describe("without the gateway", () => {
  test("--help: the commands, exit 0; nothing at all: the same on stderr, exit 2", async () => {
    const help = memoryIo();
    expect(await runCli(["--help"], help.io, env)).toBe(EXIT.ok);
    expect(help.stdout()).toContain("jobs submit <name>");
    expect(help.stdout()).toContain("schedules pause <id>");
    const none = memoryIo();
    expect(await runCli([], none.io, env)).toBe(EXIT.usage);
    expect(none.stderr()).toContain("Usage: platform <command>");
  });

  test("a command's help lists its options and the global ones", async () => {
    const t = memoryIo();
    expect(await runCli(["jobs", "submit", "--help"], t.io, env)).toBe(EXIT.ok);
    expect(t.stdout()).toContain("Usage: platform jobs submit <name> [options]");
    expect(t.stdout()).toContain("--idempotency-key <key>");
    expect(t.stdout()).toContain("--json");
  });

  test.each([
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["jobs", "frob"], 'unknown action "jobs frob"'],
    [["jobs", "get"], "missing <id>"],
    [["jobs", "get", "0"], "id must be a whole number"],
    [["jobs", "list", "--bogus"], "Unknown option '--bogus'"],
    [["users", "create", "--email", "a@example.com"], "missing --name"],
    [["--url", "ftp://x", "jobs", "list"], "not an http(s) URL"],
  ])("%p: usage error, exit 2", async (argv, message) => {
    const t = memoryIo();
    expect(await runCli(argv, t.io, { ...env, PLATFORM_TOKEN: "t" })).toBe(EXIT.usage);
    expect(t.stderr()).toContain(message);
    expect(t.out).toEqual([]);
  });

  test("not logged in, or a login that has lapsed: exit 3 before any request", async () => {
    const fresh = { ...env, XDG_CONFIG_HOME: join(root, "nobody") };
    const t = memoryIo();
    expect(await runCli(["jobs", "list"], t.io, fresh)).toBe(EXIT.auth);
    expect(t.stderr()).toContain("not logged in: run `platform login`");
    writeConfig({ token: "old", expires_at: "2020-01-01T00:00:00.000Z" }, fresh);
    const lapsed = memoryIo();
    expect(await runCli(["jobs", "list"], lapsed.io, fresh)).toBe(EXIT.auth);
    expect(lapsed.stderr()).toContain("expired at 2020-01-01T00:00:00.000Z");
  });

  test("no answer from the gateway: exit 6, naming the URL it tried", async () => {
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const url = `http://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const t = memoryIo();
    expect(await runCli(["jobs", "list", "--url", url], t.io, { ...env, PLATFORM_TOKEN: "t" })).toBe(EXIT.unavailable);
    expect(t.stderr()).toContain("no answer from the gateway");
    expect(t.stderr()).toContain(url);
  });
});

describe("against the gateway", () => {
  test("login keeps the token in the 0600 file, never prints it; the next command uses it", async () => {
    const t = memoryIo(`${gateway.config.ADMIN_PASSWORD}\n`);
    expect(await runCli(["login", "-u", gateway.config.ADMIN_USERNAME, "--json"], t.io, env)).toBe(EXIT.ok);
    const saved = readConfig(env);
    expect(saved.url).toBe(env.PLATFORM_URL);
    expect(saved.token).toBeString();
    expect(statSync(configPath(env)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(t.stdout())).toMatchObject({ username: gateway.config.ADMIN_USERNAME, config: configPath(env) });
    expect(t.stdout()).not.toContain(saved.token!);

    const get = memoryIo();
    expect(await runCli(["jobs", "get", "4", "--json"], get.io, env)).toBe(EXIT.ok);
    expect(JSON.parse(get.stdout())).toMatchObject({ id: 4, status: "RUNNING" });
  });

  test("a wrong password: exit 3, and the saved login is left as it was", async () => {
    const before = readConfig(env);
    const t = memoryIo("wrong\n");
    expect(await runCli(["login", "-u", gateway.config.ADMIN_USERNAME], t.io, env)).toBe(EXIT.auth);
    expect(t.stderr()).toContain("401 Unauthorized");
    expect(readConfig(env)).toEqual(before);
  });

  test("an unknown id: exit 4; with --json the problem on stderr as JSON", async () => {
    const t = memoryIo();
    expect(await runCli(["jobs", "get", "5", "--json"], t.io, env)).toBe(EXIT.notFound);
    expect(JSON.parse(t.stderr()).error).toMatchObject({ status: 404, detail: "job 5 not found" });
    expect(t.out).toEqual([]);
  });

  test("a refused body: exit 5 with the field errors", async () => {
    const t = memoryIo();
    expect(await runCli(["jobs", "submit", "x", "--priority", "100000"], t.io, env)).toBe(EXIT.rejected);
    expect(t.stderr()).toContain("  priority: ");
  });

  test("a watched job that FAILS: its progress, then exit 1; --json: one JSON object per state", async () => {
    const t = memoryIo();
    expect(await runCli(["jobs", "watch", "4"], t.io, env)).toBe(EXIT.failed);
    expect(t.out).toEqual(["job 4 RUNNING (attempt 1/1)", "job 4 FAILED: boom"]);
    const json = memoryIo();
    expect(await runCli(["jobs", "watch", "4", "--json"], json.io, env)).toBe(EXIT.failed);
    expect(json.out.map((line) => JSON.parse(line).status)).toEqual(["RUNNING", "FAILED"]);
  });
});
