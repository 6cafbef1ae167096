// CPU time from /proc: all of it and the kernel's part, per process and per sampled run.
import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { cpuMs, cpuTimesMs, RssSampler } from "./processes";

describe("cpuTimesMs", () => {
  test("gives a live process's CPU time and the kernel's part of it", () => {
    const times = cpuTimesMs(process.pid)!;
    expect(times.total).toBeGreaterThan(0);
    expect(times.kernel).toBeGreaterThanOrEqual(0);
    expect(times.kernel).toBeLessThanOrEqual(times.total);
    expect(cpuMs(process.pid)).toBeGreaterThanOrEqual(times.total);
  });

  test("is undefined once the process is gone", async () => {
    const child = Bun.spawn(["true"]);
    await child.exited;
    expect(cpuTimesMs(child.pid)).toBeUndefined();
  });
});

describe("RssSampler", () => {
  test("reports each process's CPU time over the run, and the kernel's part of it", () => {
    const sampler = new RssSampler(new Map([["self", process.pid]])).start();
    // System calls, so the kernel has some of it.
    for (let i = 0; i < 50_000; i++) statSync("/proc/self/stat");
    const rss = sampler.stop();
    expect(rss.self).toBeGreaterThan(0);
    expect(sampler.cpuUsedMs.self).toBeGreaterThanOrEqual(0);
    expect(sampler.kernelUsedMs.self).toBeGreaterThanOrEqual(0);
    expect(sampler.kernelUsedMs.self).toBeLessThanOrEqual(sampler.cpuUsedMs.self!);
  });
});
