// The breaker's states on a fake clock; upstream.test.ts drives it with a real server.
import { describe, expect, test } from "bun:test";
import { CircuitBreaker, type CircuitState } from "./circuitBreaker";

function breaker() {
  let now = 1_000;
  const changes: CircuitState[] = [];
  const b = new CircuitBreaker({
    failureThreshold: 3,
    windowMs: 1_000,
    cooldownMs: 500,
    now: () => now,
    onStateChange: (s) => changes.push(s),
  });
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe("CircuitBreaker", () => {
  test("opens after N consecutive failures and fails fast until the cool-down ends", () => {
    const { b, changes, advance } = breaker();
    for (let i = 0; i < 2; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.onFailure();
    }
    expect(b.state).toBe("closed");
    b.onFailure();
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    advance(200);
    expect(b.retryAfterSeconds()).toBe(1);
    expect(b.tryAcquire()).toBe(false);
    expect(changes).toEqual(["open"]);
  });

  test("a success resets the count; failures spread wider than the window do not open it", () => {
    const { b, advance } = breaker();
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe("closed");
    advance(1_500);
    b.onFailure();
    expect(b.state).toBe("closed");
  });

  test("half-open lets exactly one probe through; its success closes the circuit", () => {
    const { b, changes, advance } = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    advance(500);
    expect(b.tryAcquire()).toBe(true);
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.state).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
    expect(changes).toEqual(["open", "half-open", "closed"]);
  });

  test("a failed probe opens the circuit again for another cool-down", () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    advance(600);
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    advance(500);
    expect(b.tryAcquire()).toBe(true);
  });
});
