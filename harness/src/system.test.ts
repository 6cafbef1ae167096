// The launcher itself: dependency order and wiring (a pipeline's step reaches the
// jobs service and a worker runs it), front-to-back stop, and no process left
// behind when a start fails or stop() comes while it starts.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE_ENTRY } from "@platform/kit/bundle";
import { eventually } from "@platform/kit/testing";
import {
  COMPONENT_WORKSPACES,
  type ComponentName,
  JSC_RAM_SIZE_ENV,
  POD_MEMORY_LIMIT_MIB,
  REPO_ROOT,
} from "./components";
import { createSystem, launchSystem, type SystemProcess } from "./system";
import { TEST_ENV } from "./testSystem";

// Real processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(60_000);

const leftovers: SystemProcess[] = [];
afterAll(async () => {
  await Promise.all(leftovers.map((p) => p.stop("SIGKILL")));
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("launchSystem", () => {
  test("wires the parts in dependency order and stops them front to back", async () => {
    const system = await launchSystem({
      env: { ...TEST_ENV, LOG_LEVEL: "warn" },
      workers: 1,
      temporaryData: true,
      stopSignal: "SIGTERM",
    });
    leftovers.push(...system.all());
    expect(system.all().map((p) => p.name)).toEqual(
      expect.arrayContaining(["users", "jobs", "pipelines", "worker-1", "gateway-1"]),
    );
    // Each runs its bundle, as its image does: `bun <workspace>/dist/main.js`.
    const parts = [...Object.values(system.services), ...system.workers, ...system.gateways];
    for (const part of parts) {
      const argv = readFileSync(`/proc/${part.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      const component = part.name.replace(/-\d+$/, "") as ComponentName;
      expect(argv.slice(1)).toEqual([join(REPO_ROOT, COMPONENT_WORKSPACES[component], BUNDLE_ENTRY)]);
      // ...with its JavaScript heap sized for its pod's memory limit, as the pod's manifest sizes it.
      const environ = readFileSync(`/proc/${part.pid}/environ`, "utf8").split("\0");
      expect(environ).toContain(`${JSC_RAM_SIZE_ENV}=${POD_MEMORY_LIMIT_MIB[component] * 1024 * 1024}`);
    }

    // The pipelines service submits its step to the jobs service, where the worker runs it.
    const login = await fetch(`${system.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username":"admin","password":"secret"}',
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const created = await fetch(`${system.url}/pipelines/`, {
      method: "POST",
      headers,
      body: JSON.stringify({ pipeline_name: "launcher", steps: [{ name: "only", kind: "echo", payload: 1 }] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    await eventually(
      async () => {
        const body = (await (await fetch(`${system.url}/pipelines/${id}`, { headers })).json()) as { status: string };
        return body.status === "SUCCEEDED" ? body : undefined;
      },
      30_000,
      "the pipeline to succeed",
    );

    const exits: string[] = [];
    for (const part of parts) void part.process.exited.then(() => exits.push(part.name));
    await system.stop();
    await Promise.all(parts.map((p) => p.process.exited));
    const tierOf = (name: string) => (name.startsWith("gateway") ? 0 : name.startsWith("worker") ? 1 : 2);
    expect(exits.map(tierOf)).toEqual([...exits.map(tierOf)].sort());
    expect(exits[0]).toBe("gateway-1");
    for (const p of system.all()) expect(alive(p.pid)).toBe(false);
  });

  test("a part that cannot start stops the parts that came up, and start() says which one failed", async () => {
    const blocker = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const launcher = createSystem({ env: TEST_ENV, ports: { users: blocker.port }, temporaryData: true });
    try {
      const failure = await launcher.start().then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure?.message).toContain("users exited with code 1 before it was ready");
      // With its last lines, which say why.
      expect(failure?.message).toContain("EADDRINUSE");
    } finally {
      blocker.stop(true);
    }
    leftovers.push(...launcher.processes());
    // jobs and pipelines came up beside it (and, the users address being given, maybe the gateway): all stopped.
    const names = launcher.processes().map((p) => p.name);
    expect(names).toContain("jobs");
    expect(names).toContain("pipelines");
    expect(names.filter((n) => !["jobs", "pipelines", "gateway-1"].includes(n))).toEqual([]);
    for (const p of launcher.processes()) expect(alive(p.pid)).toBe(false);
  });

  test("stop() while the system starts stops what comes up, and start() rejects", async () => {
    const launcher = createSystem({ env: TEST_ENV, temporaryData: true });
    const starting = launcher.start();
    await launcher.stop();
    const failure = await starting.then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toBe("the system was stopped while it started");
    leftovers.push(...launcher.processes());
    expect(launcher.processes().some((p) => p.tier === "gateway")).toBe(false);
    for (const p of launcher.processes()) expect(alive(p.pid)).toBe(false);
  });
});
