// A small circuit breaker per upstream: after `failureThreshold` consecutive
// outage failures (UNAVAILABLE, DEADLINE_EXCEEDED) within `windowMs` it opens
// and callers fail fast; after `cooldownMs` one probe call is let through
// (half-open); its success closes the circuit, its failure opens it again.
// Answers such as NOT_FOUND mean the upstream is up: they count as successes.

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
  now?: () => number;
  onStateChange?: (state: CircuitState) => void;
}

export class CircuitBreaker {
  private current: CircuitState = "closed";
  private failures = 0;
  private firstFailureAt = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Whether a call may go out now; in half-open, only the first caller (the probe) may. */
  tryAcquire(): boolean {
    if (this.current === "closed") return true;
    if (this.current === "open") {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.transition("half-open");
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Seconds until a probe will be let through (for Retry-After), at least 1. */
  retryAfterSeconds(): number {
    const remaining = this.options.cooldownMs - (this.now() - this.openedAt);
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  onSuccess(): void {
    this.probeInFlight = false;
    this.failures = 0;
    if (this.current !== "closed") this.transition("closed");
  }

  onFailure(): void {
    this.probeInFlight = false;
    if (this.current === "half-open") {
      this.open();
      return;
    }
    const now = this.now();
    if (this.failures === 0 || now - this.firstFailureAt > this.options.windowMs) {
      this.failures = 0;
      this.firstFailureAt = now;
    }
    this.failures++;
    if (this.current === "closed" && this.failures >= this.options.failureThreshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.transition("open");
  }

  private transition(state: CircuitState): void {
    this.current = state;
    this.options.onStateChange?.(state);
  }
}
