// Smoke test of `bun run bench` in its quickest mode: it runs end to end and
// writes the report files with the expected fields. No timing assertions: the
// numbers depend on the machine and whatever else runs on it.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchReport } from "./lib/report";

const out = mkdtempSync(join(tmpdir(), "bench-smoke-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test("bun run bench (BENCH_QUICK=1) writes latest.json, latest.md and latest.svg", async () => {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "run.ts")], {
    env: { ...process.env, BENCH_QUICK: "1", BENCH_OUT: out },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) console.error(stdout, stderr);
  expect(code).toBe(0);
  expect(stdout).toContain("req/s");

  for (const file of ["latest.json", "latest.md", "latest.svg"]) expect(existsSync(join(out, file))).toBe(true);
  const report = JSON.parse(readFileSync(join(out, "latest.json"), "utf8")) as BenchReport;
  expect(report.version).toBe(1);
  expect(report.settings.quick).toBe(true);
  expect(report.machine.cpus).toBeGreaterThan(0);
  expect(report.startup.systemReadyMs).toBeGreaterThan(0);
  expect(report.startup.devReadyMs.length).toBe(1);

  const targets = report.scenarios.map((s) => s.target);
  expect(targets).toContain("bun-serve");
  expect(targets).toContain("users-grpc");
  expect(targets).toContain("gateway");
  for (const s of report.scenarios) {
    expect(s.requests).toBeGreaterThan(0);
    expect(s.rps).toBeGreaterThan(0);
    expect(s.errors).toBe(0);
    for (const p of ["p50", "p99", "p999"] as const) expect(typeof s.latencyMs[p]).toBe("number");
    expect(Object.keys(s.rssMiB).length).toBeGreaterThan(0);
  }
  const gateway = report.scenarios.find((s) => s.id === "gateway:getUser@64")!;
  expect(gateway.rssMiB["gateway-1"]).toBeGreaterThan(0);
  expect(Object.keys(report.ratios)).toContain("gateway GET /users/{id} / backend ceiling (grpc-js GetUser)");
  expect(report.targets.map((t) => t.name)).toContain("gateway RSS under load");
  // Every target that does not hold says why, in the run's own numbers.
  for (const t of report.targets.filter((t) => t.ok === false)) expect(t.why).toBeString();

  // The whole path: the project's gateway and the baselines with backends of their own, GET and POST each,
  // CPU per request of every process on the path (the bench process prints the logs, as dev's supervisor) and its RSS before any load.
  for (const target of ["path-gateway", "path-elysia"])
    for (const method of ["GET", "POST"]) {
      const row = report.scenarios.find((s) => s.group === "path" && s.target === target && s.name.startsWith(method));
      expect(row?.requests).toBeGreaterThan(0);
    }
  const pathGateway = report.scenarios.find((s) => s.target === "path-gateway")!;
  expect(Object.keys(pathGateway.cpuUsPerRequest).sort()).toEqual(["dev-supervisor", "gateway-1", "users"]);
  // ...and the kernel's part of each (system calls, loopback TCP), never more than the whole.
  expect(Object.keys(pathGateway.kernelUsPerRequest ?? {}).sort()).toEqual(["dev-supervisor", "gateway-1", "users"]);
  for (const [process, us] of Object.entries(pathGateway.kernelUsPerRequest ?? {}))
    expect(us).toBeLessThanOrEqual(pathGateway.cpuUsPerRequest[process]!);
  const pathElysia = report.scenarios.find((s) => s.target === "path-elysia")!;
  expect(Object.keys(pathElysia.cpuUsPerRequest).sort()).toEqual(["path-elysia", "path-elysia-users"]);
  expect(report.idleRssMiB?.["gateway-1"]).toBeGreaterThan(0);
  expect(report.idleRssMiB?.["path-elysia-users"]).toBeGreaterThan(0);
  // ...and of it, the executable's pages, which the RSS targets' why names.
  expect(report.idleFileMiB?.["gateway-1"]).toBeGreaterThan(0);
  expect(report.idleFileMiB?.["gateway-1"]).toBeLessThan(report.idleRssMiB!["gateway-1"]!);
  expect(Object.keys(report.ratios)).toContain("whole path POST: path-gateway / path-elysia (req/s)");

  // The jobs scenario runs small on SQLite only; PostgreSQL and graphile-worker are said to be skipped.
  expect(report.jobs?.sqlite?.drainJobsPerS).toBeGreaterThan(0);
  expect(report.jobs?.sqlite?.pickupMs.p99).toBeGreaterThan(0);
  expect(report.jobs?.sqlite?.pipelineStepOverheadMs).toBeGreaterThan(0);
  expect(report.jobs?.sqlite?.drainBatchedWorkerJobsPerS).toBeGreaterThan(0);
  // The reference worker process's RSS, idle and under a drain, and the target it is held to.
  expect(report.jobs?.sqlite?.workerRssMiB?.idle).toBeGreaterThan(0);
  expect(report.jobs?.sqlite?.workerRssMiB?.idleFile).toBeGreaterThan(0);
  expect(report.jobs?.sqlite?.workerRssMiB?.peak).toBeGreaterThan(0);
  expect(report.targets.find((t) => t.name === "worker RSS under load")?.ok).toBeBoolean();
  expect(report.jobs?.postgres).toBeNull();
  expect(report.skipped.some((s) => s.includes("graphile-worker"))).toBe(true);

  const markdown = readFileSync(join(out, "latest.md"), "utf8");
  for (const heading of [
    "# Benchmark results",
    "## Targets",
    "## Scenarios",
    "## Ratios",
    "## Whole path",
    "### CPU and RSS per process",
    "## Start-up",
    "## Jobs",
  ])
    expect(markdown).toContain(heading);
  expect(readFileSync(join(out, "latest.svg"), "utf8")).toStartWith("<svg");
}, 120_000);
