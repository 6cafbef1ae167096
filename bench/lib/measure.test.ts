// measure(): runs interleave, and a run that leaves memory behind (a login's argon2id buffers) is
// given its settle time before the next run's sampling starts.
import { describe, expect, test } from "bun:test";
import type { LoadResult } from "./loadgen";
import { measure } from "./measure";
import type { Scenario } from "./scenarios";

const result: LoadResult = {
  requests: 10,
  durationS: 1,
  rps: 10,
  errors: 0,
  latencyMs: { p50: 1, p99: 1, p999: 1, max: 1, mean: 1 },
  tool: "fake",
};

const scenario = (id: string, onRun: () => void, settleMs?: number): Scenario => ({
  id,
  group: "direct",
  name: id,
  target: "fake",
  connections: 1,
  processes: [],
  run: async () => {
    onRun();
    return result;
  },
  ...(settleMs === undefined ? {} : { settleMs }),
});

const options = { warmupS: 0, durationS: 1 };

describe("measure", () => {
  test("interleaves the runs: run 1 of every scenario, then run 2", async () => {
    const order: string[] = [];
    await measure(
      [scenario("a", () => order.push("a")), scenario("b", () => order.push("b"))],
      2,
      options,
      new Map(),
      () => {},
    );
    expect(order).toEqual(["a", "b", "a", "b"]);
  });

  test("the run after one with a settle time starts only once that time has passed", async () => {
    // A timer the first run starts, due just before its settle time ends: with the settle it has fired
    // when the second run starts (timers fire in the order they fall due); without it, not yet.
    const seen: boolean[] = [];
    for (const settleMs of [200, undefined]) {
      let due = false;
      await measure(
        [
          scenario("login", () => void setTimeout(() => (due = true), 150), settleMs),
          scenario("next", () => seen.push(due)),
        ],
        1,
        options,
        new Map(),
        () => {},
      );
    }
    expect(seen).toEqual([true, false]);
  });
});
