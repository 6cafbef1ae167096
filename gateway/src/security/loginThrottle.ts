// Slows down password guessing: a bounded number of login attempts per client
// address, and of failed attempts per username, in a window. The counters are
// shared by every gateway replica: they live in the users service's database
// (AdmitLogin / RecordLoginResult), so N replicas give an attacker one budget,
// not N. While the users service cannot be reached, each replica falls back to
// counters of its own (rate-limiter-flexible in memory, the same rule), so the
// configured account can still log in during an outage.
import type { Logger } from "@platform/kit";
import type { AdmitLoginResponse__Output } from "@platform/proto";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { HttpProblem } from "../http/problem";
import type { Upstreams } from "../upstream";

export interface LoginThrottleLimits {
  maxAttemptsPerAddress: number;
  maxFailuresPerUsername: number;
  windowSeconds: number;
}

const tooMany = (msBeforeNext: number) => {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new HttpProblem(
    429,
    "too-many-login-attempts",
    `too many login attempts; retry in ${seconds} s`,
    {},
    { "retry-after": String(seconds) },
  );
};

/** This replica's own counters: the fallback while the shared ones are unreachable. */
export class LocalLoginThrottle {
  private readonly attempts: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;

  constructor(private readonly limits: LoginThrottleLimits) {
    this.attempts = new RateLimiterMemory({
      keyPrefix: "login-address",
      points: limits.maxAttemptsPerAddress,
      duration: limits.windowSeconds,
    });
    this.failures = new RateLimiterMemory({
      keyPrefix: "login-user",
      points: limits.maxFailuresPerUsername,
      duration: limits.windowSeconds,
    });
  }

  /** Counts an attempt from `address`; throws 429 if the address or the username is over its budget. */
  async admit(username: string, address: string): Promise<void> {
    try {
      await this.attempts.consume(address);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
      throw rejection;
    }
    const failures = await this.failures.get(key(username));
    if (failures && failures.consumedPoints >= this.limits.maxFailuresPerUsername) throw tooMany(failures.msBeforeNext);
  }

  async record(username: string, succeeded: boolean): Promise<void> {
    if (succeeded) await this.failures.delete(key(username));
    else await this.failures.penalty(key(username));
  }
}

// The same key as the users service's (domain/loginThrottle.ts usernameKey): emails
// are trimmed and compared in any letter case, so " Pat@example.com" is no fresh budget.
const key = (username: string) => username.normalize("NFKC").trim().toLowerCase();

/** The counters every replica shares, with this replica's own as the fallback. */
export class LoginThrottle {
  private readonly local: LocalLoginThrottle;
  private readonly wireLimits;
  /** True while the shared counters are unreachable: logged once on the way in, once on the way out. */
  private degraded = false;

  constructor(
    limits: LoginThrottleLimits,
    private readonly users: Upstreams["users"],
    private readonly logger: Logger,
  ) {
    this.local = new LocalLoginThrottle(limits);
    this.wireLimits = {
      max_attempts_per_address: limits.maxAttemptsPerAddress,
      max_failures_per_username: limits.maxFailuresPerUsername,
      window_seconds: limits.windowSeconds,
    };
  }

  /** Counts an attempt from `address`; throws 429 if the address or the username is over its budget. */
  async admit(username: string, address: string, requestId: string): Promise<void> {
    let answer: AdmitLoginResponse__Output;
    try {
      answer = await this.users.call("AdmitLogin", { username, address, limits: this.wireLimits }, { requestId });
    } catch (error) {
      this.fellBack(error);
      return this.local.admit(username, address);
    }
    this.recovered();
    if (!answer.allowed) throw tooMany(Number(answer.retry_after_ms));
  }

  /** Records how an admitted login ended: a failure counts against the username, a success clears its failures. */
  async record(username: string, succeeded: boolean, requestId: string): Promise<void> {
    try {
      await this.users.call("RecordLoginResult", { username, succeeded, limits: this.wireLimits }, { requestId });
      this.recovered();
    } catch (error) {
      this.fellBack(error);
      await this.local.record(username, succeeded);
    }
  }

  private fellBack(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { err: error instanceof HttpProblem ? { status: error.status, detail: error.detail } : error },
      "the shared login throttle is unreachable; counting login attempts in this replica until it is back",
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.info("the shared login throttle is reachable again");
  }
}
