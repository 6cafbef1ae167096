// Slows down password guessing: a bounded number of login attempts per client
// address, and of failed attempts per username, in a sliding window. In memory
// per replica: with N replicas an attacker gets at most N times the budget.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { HttpProblem } from "../http/problem";

export interface LoginThrottleLimits {
  maxAttemptsPerAddress: number;
  maxFailuresPerUsername: number;
  windowSeconds: number;
}

const tooMany = (msBeforeNext: number) => {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new HttpProblem(429, "too-many-login-attempts", `too many login attempts; retry in ${seconds} s`, {}, { "retry-after": String(seconds) });
};

export class LoginThrottle {
  private readonly attempts: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;

  constructor(private readonly limits: LoginThrottleLimits) {
    this.attempts = new RateLimiterMemory({ keyPrefix: "login-address", points: limits.maxAttemptsPerAddress, duration: limits.windowSeconds });
    this.failures = new RateLimiterMemory({ keyPrefix: "login-user", points: limits.maxFailuresPerUsername, duration: limits.windowSeconds });
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

  async recordFailure(username: string): Promise<void> {
    await this.failures.penalty(key(username));
  }

  async recordSuccess(username: string): Promise<void> {
    await this.failures.delete(key(username));
  }
}

// The users service trims emails and ignores their letter case: so must the key, or
// " Pat@example.com" would be a fresh budget of guesses for the same account.
const key = (username: string) => username.normalize("NFKC").trim().toLowerCase();
