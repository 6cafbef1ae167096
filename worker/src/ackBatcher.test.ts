// AckBatcher alone, with a send the test controls: full batches go at once and side by
// side; short ones after the linger, one at a time, gathering what finishes meanwhile.
import { describe, expect, test } from "bun:test";
import { AckBatcher } from "./acks";

/** A send that records each batch and finishes only when the test says so. */
function controlledSend() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  const send = (acks: number[]) => {
    batches.push(acks);
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  return { batches, send, finish: (i: number) => finishers[i]!() };
}
/** Lets timers due now (a linger of 0) and the promise callbacks after them run. */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("AckBatcher", () => {
  test("batch size 1: every ack goes alone and at once, none waits for another's call", async () => {
    const s = controlledSend();
    const acks = new AckBatcher(s.send, 1, 0);
    const sent = [1, 2, 3].map((n) => acks.add(n));
    expect(s.batches).toEqual([[1], [2], [3]]);
    s.finish(2);
    await sent[2];
    [0, 1].forEach((i) => s.finish(i));
    await Promise.all(sent);
  });

  test("short batches: one on its way at a time; what finishes meanwhile goes next, together", async () => {
    const s = controlledSend();
    const acks = new AckBatcher(s.send, 10, 0);
    const first = acks.add(1);
    expect(s.batches).toEqual([]);
    await turn();
    expect(s.batches).toEqual([[1]]);
    const later = [acks.add(2), acks.add(3)];
    await turn();
    expect(s.batches).toEqual([[1]]);
    s.finish(0);
    await first;
    await turn();
    expect(s.batches).toEqual([[1], [2, 3]]);
    s.finish(1);
    await Promise.all(later);
  });

  test("a full batch goes at once, without waiting for the linger; close() sends the rest", async () => {
    const s = controlledSend();
    const acks = new AckBatcher(s.send, 2, 60_000);
    const sent = [1, 2, 3].map((n) => acks.add(n));
    expect(s.batches).toEqual([[1, 2]]);
    const closed = acks.close();
    expect(s.batches).toEqual([[1, 2], [3]]);
    s.finish(0);
    s.finish(1);
    await closed;
    await Promise.all(sent);
  });
});
