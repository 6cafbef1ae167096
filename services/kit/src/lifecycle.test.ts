// The one shutdown helper: steps run in order, once, and a failing step does not
// stop the ones after it; drainWithin forces a drain that does not finish.
import { describe, expect, test } from "bun:test";
import { drainWithin, Lifecycle } from "./lifecycle";

describe("Lifecycle", () => {
  test("runs the stop steps one after another in the order they were added, once", async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const lifecycle = new Lifecycle()
      .onStop(
        "server",
        () =>
          new Promise<void>(
            (resolve) =>
              (releaseFirst = () => {
                order.push("server");
                resolve();
              }),
          ),
      )
      .onStop("database", () => void order.push("database"))
      .onStop("tracing", async () => void order.push("tracing"));
    const first = lifecycle.shutdown();
    const second = lifecycle.shutdown();
    expect(second).toBe(first);
    await Bun.sleep(0);
    // The database waits for the server to have stopped.
    expect(order).toEqual([]);
    releaseFirst();
    await first;
    expect(order).toEqual(["server", "database", "tracing"]);
  });

  test("a failing step is reported after the later steps still ran", async () => {
    const order: string[] = [];
    const lifecycle = new Lifecycle()
      .onStop("server", () => {
        throw new Error("drain broke");
      })
      .onStop("database", () => void order.push("database"));
    expect(lifecycle.shutdown()).rejects.toThrow("drain broke");
    await lifecycle.shutdown().catch(() => {});
    expect(order).toEqual(["database"]);
  });
});

describe("drainWithin", () => {
  test("a drain that finishes in time is not forced", async () => {
    let forced = 0;
    expect(
      await drainWithin(
        60_000,
        async () => {},
        () => forced++,
      ),
    ).toBe(true);
    expect(forced).toBe(0);
  });

  test("a drain that does not finish is forced, and the force is awaited", async () => {
    const events: string[] = [];
    const drained = await drainWithin(
      1,
      () => new Promise(() => {}),
      async () => {
        await Bun.sleep(0);
        events.push("forced");
      },
    );
    expect(drained).toBe(false);
    expect(events).toEqual(["forced"]);
  });
});
