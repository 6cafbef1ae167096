// The CLI end to end: the whole system as real processes with the reference
// worker, and the `platform` command run as a subprocess the way a person or a
// script runs it (bun client/src/cli/main.ts): login into a 0600 config file,
// users, a job and a YAML pipeline watched until done, --json parsed, and the
// exit codes for a failed job, an unknown id and a bad token.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "@platform/client/cli";
import { REPO_ROOT, type RunningComponent, type RunningSystem, startSystem, startWorker } from "@platform/harness";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(60_000);

const MAIN = join(REPO_ROOT, "client/src/cli/main.ts");
let system: RunningSystem;
let worker: RunningComponent | undefined;
let home: string;
let env: Record<string, string>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `platform …` as its own process, with `stdin` piped in. */
async function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH ?? "", ...env, ...options.env },
    stdin: new TextEncoder().encode(options.stdin ?? ""),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}
const jsonLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

beforeAll(async () => {
  system = await startSystem({
    env: { JOBS_RETRY_BACKOFF_MS: "50", JOBS_WATCH_POLL_MS: "200", PIPELINES_POLL_MS: "100", LOG_LEVEL: "warn" },
  });
  worker = await startWorker("worker", {
    JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
    WORKER_CONCURRENCY: "2",
    WORKER_POLL_MS: "50",
    LOG_LEVEL: "warn",
  });
  home = mkdtempSync(join(tmpdir(), "cli-home-"));
  env = { HOME: home, XDG_CONFIG_HOME: join(home, "config"), PLATFORM_URL: system.url };
}, 120_000);
afterAll(async () => {
  await worker?.stop("SIGKILL");
  await system?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("the platform CLI against the running system", () => {
  test("login: a wrong password is exit 3; the right one keeps the token in a 0600 file", async () => {
    const wrong = await cli(["login", "--username", "admin"], { stdin: "not-the-password\n" });
    expect(wrong.code).toBe(EXIT.auth);
    expect(wrong.stderr).toContain("401 Unauthorized");

    const right = await cli(["login", "--username", "admin", "--json"], { stdin: "secret\n" });
    expect(right.stderr).toBe("");
    expect(right.code).toBe(EXIT.ok);
    const { config } = JSON.parse(right.stdout) as { config: string };
    expect(config).toBe(join(home, "config", "platform", "config.json"));
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "config", "platform")).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await Bun.file(config).text()) as { token: string; url: string };
    expect(saved.url).toBe(system.url);
    expect(right.stdout).not.toContain(saved.token);
  });

  test("users create and get, as JSON and as a table; an unknown id is exit 4", async () => {
    const created = await cli(["users", "create", "--name", "John Doe", "--email", "john@example.com", "--json"]);
    expect(created.code).toBe(EXIT.ok);
    const user = JSON.parse(created.stdout) as { id: number; email: string; roles: string[] };
    expect(user).toMatchObject({ email: "john@example.com", roles: ["user"] });

    const got = await cli(["users", "get", String(user.id), "--json"]);
    expect(JSON.parse(got.stdout)).toEqual(user);
    const shown = await cli(["users", "get", String(user.id)]);
    expect(shown.stdout).toContain("email:   john@example.com");

    const listed = await cli(["users", "list"]);
    expect(listed.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+ROLES\s+CREATED$/);
    expect(listed.stdout).toContain("John Doe");

    const missing = await cli(["users", "get", "999999"]);
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toContain("404 Not Found");
  });

  test("jobs submit --watch follows a job through the real worker to SUCCEEDED (exit 0) or FAILED (exit 1)", async () => {
    const ok = await cli([
      "jobs",
      "submit",
      "greet",
      "--kind",
      "echo",
      "--payload",
      '{"hello":"world"}',
      "--watch",
      "--json",
    ]);
    expect(ok.code).toBe(EXIT.ok);
    const states = jsonLines(ok.stdout) as { id: number; status: string; result: unknown }[];
    expect(states.at(-1)).toMatchObject({ status: "SUCCEEDED", result: { hello: "world" } });

    const failed = await cli([
      "jobs",
      "submit",
      "doomed",
      "-k",
      "fail",
      "-p",
      '"disk on fire"',
      "--max-attempts",
      "1",
      "-w",
    ]);
    expect(failed.code).toBe(EXIT.failed);
    expect(failed.stdout).toMatch(/job \d+ FAILED: .*disk on fire/);

    const got = await cli(["jobs", "get", String(states[0]!.id), "--json"]);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: states[0]!.id, status: "SUCCEEDED" });
    const watched = await cli(["jobs", "watch", String(states[0]!.id)]);
    expect([watched.code, watched.stdout.trim()]).toEqual([
      EXIT.ok,
      `job ${states[0]!.id} SUCCEEDED: result {"hello":"world"}`,
    ]);

    const list = await cli(["jobs", "list", "--status", "FAILED", "--json"]);
    const page = JSON.parse(list.stdout) as { items: { job_name: string }[] };
    expect(page.items.map((j) => j.job_name)).toEqual(["doomed"]);
    const ofKind = await cli(["jobs", "list", "--kind", "fail", "--queue", "default", "--json"]);
    expect((JSON.parse(ofKind.stdout) as typeof page).items.map((j) => j.job_name)).toEqual(["doomed"]);
  });

  test("pipelines run from a YAML file, watched step by step until SUCCEEDED", async () => {
    const file = join(home, "train.yaml");
    writeFileSync(
      file,
      [
        "pipeline_name: ML Training Pipeline",
        "steps:",
        "  - {name: prepare, kind: echo, payload: {rows: 3}}",
        "  - name: train",
        "    kind: sleep",
        "    payload: {ms: 300}",
        "    depends_on: [prepare]",
        "  - {name: report, kind: echo, payload: done, depends_on: [train]}",
      ].join("\n"),
    );
    const run = await cli(["pipelines", "run", file, "--watch"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    const lines = run.stdout.trim().split("\n");
    const id = Number(/^pipeline (\d+) "ML Training Pipeline"/.exec(lines[0]!)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(lines.filter((l) => /^ {2}step train: SUCCEEDED \(job \d+\)$/.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toBe(`pipeline ${id} SUCCEEDED: 3/3 steps done`);

    const got = await cli(["pipelines", "get", String(id), "--json"]);
    const pipeline = JSON.parse(got.stdout) as { status: string; steps: { name: string; status: string }[] };
    expect(pipeline.status).toBe("SUCCEEDED");
    expect(pipeline.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "prepare:SUCCEEDED",
      "train:SUCCEEDED",
      "report:SUCCEEDED",
    ]);
  });

  test("a pipeline file the gateway refuses: exit 5 naming the field; one that is not YAML: exit 2", async () => {
    const refused = await cli(["pipelines", "run", "-"], {
      stdin: '{"pipeline_name": "bad", "steps": [{"name": "x", "kind": "Not A Kind"}]}',
    });
    expect(refused.code).toBe(EXIT.rejected);
    expect(refused.stderr).toContain("steps.0.kind: ");

    const file = join(home, "broken.yaml");
    writeFileSync(file, "steps: [unclosed\n");
    const broken = await cli(["pipelines", "run", file]);
    expect(broken.code).toBe(EXIT.usage);
    expect(broken.stderr).toContain("is not valid YAML or JSON");
  });

  test("a user given a password logs in with their email; an admin-only command is then exit 3 (403)", async () => {
    const created = await cli(
      ["users", "create", "--name", "Ada", "--email", "ada@example.com", "--password-stdin", "--json"],
      { stdin: "correct horse battery\n" },
    );
    expect(created.code).toBe(EXIT.ok);
    // A config folder of her own, so the admin's login above stays.
    const ada = { XDG_CONFIG_HOME: join(home, "ada") };
    const login = await cli(["login", "-u", "ada@example.com"], { stdin: "correct horse battery\n", env: ada });
    expect(login.code).toBe(EXIT.ok);
    expect(login.stdout).toContain("as ada@example.com");
    const mine = await cli(["jobs", "list", "--json"], { env: ada });
    expect([mine.code, JSON.parse(mine.stdout).items]).toEqual([EXIT.ok, []]);
    const forbidden = await cli(["users", "list"], { env: ada });
    expect(forbidden.code).toBe(EXIT.auth);
    expect(forbidden.stderr).toContain("403 Forbidden");
  });

  test("jobs cancel and retry; schedules create, pause, resume, delete; a conflict is exit 5", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const submitted = await cli(["jobs", "submit", "later", "-k", "echo", "--run-at", later, "--json"]);
    expect(submitted.stderr).toBe("");
    const { id } = JSON.parse(submitted.stdout) as { id: number };
    const status = async (args: string[]) => {
      const run = await cli([...args, "--json"]);
      expect(run.stderr).toBe("");
      return (JSON.parse(run.stdout) as { status: string }).status;
    };
    expect(await status(["jobs", "cancel", String(id)])).toBe("CANCELLED");
    // A retried job is claimable at once, run_at or not: the worker runs it.
    expect(await status(["jobs", "retry", String(id)])).toBe("PENDING");
    expect((await cli(["jobs", "watch", String(id)])).code).toBe(EXIT.ok);

    const created = await cli([
      "schedules",
      "create",
      "--name",
      "nightly",
      "--cron",
      "0 3 * * *",
      "--job-name",
      "backup",
      "-k",
      "echo",
      "--json",
    ]);
    expect(created.code).toBe(EXIT.ok);
    const schedule = JSON.parse(created.stdout) as { id: number; paused: boolean };
    expect(schedule.paused).toBe(false);
    const sid = String(schedule.id);
    expect((await cli(["schedules", "pause", sid])).stdout).toContain("state:     paused");
    const again = await cli(["schedules", "pause", sid]);
    expect(again.code).toBe(EXIT.rejected);
    expect(again.stderr).toContain("409 Conflict");
    expect((await cli(["schedules", "resume", sid])).code).toBe(EXIT.ok);
    expect((await cli(["schedules", "list"])).stdout).toMatch(/nightly\s+0 3 \* \* \*\s+UTC\s+echo\s+active/);
    expect((await cli(["schedules", "delete", sid])).stdout.trim()).toBe(`schedule ${sid} deleted`);
    expect((await cli(["schedules", "get", sid])).code).toBe(EXIT.notFound);
  });

  test("a token the gateway refuses is exit 3; an unreachable gateway exit 6", async () => {
    const bad = await cli(["jobs", "list"], { env: { PLATFORM_TOKEN: "not.a.token" } });
    expect(bad.code).toBe(EXIT.auth);
    expect(bad.stderr).toContain("401 Unauthorized");

    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const url = `http://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const unreachable = await cli(["--url", url, "jobs", "list"]);
    expect(unreachable.code).toBe(EXIT.unavailable);
  });
});
