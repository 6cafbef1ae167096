// argon2id hashes and checks, a bounded number at a time per process. Each one in
// flight holds ARGON2.memoryCost (64 MiB) on Bun's thread pool, which has a thread
// per CPU of the node, whatever the pod's CPU limit: unbounded, a burst of logins on
// a 16-core node would hold ~1 GiB and the pod's memory limit would end it. So at
// most PASSWORD_HASH_CONCURRENCY run at once; the others wait their turn, and a wait
// whose caller has gone (its signal aborted) ends without hashing anything. The
// password_hashes gauge shows how many run and wait.
import pLimit, { type LimitFunction } from "p-limit";
import { z } from "zod";
import { cellGauge } from "./metrics";

/**
 * argon2id's cost, pinned: Bun's defaults today (64 MiB, two passes), written out so
 * that a runtime upgrade cannot change what new hashes cost (PHC strings carry their
 * parameters: hashes made with other ones still verify).
 */
export const ARGON2 = { algorithm: "argon2id", memoryCost: 65_536, timeCost: 2 } as const;

/** The setting of every process that hashes passwords (the gateway and the users service). */
export const passwordHashingConfigShape = {
  /**
   * argon2id runs at once in this process, each holding 64 MiB: one per CPU of the pod's limit
   * (more only share those CPUs, and hold more memory); the rest wait.
   */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
};

/** The password_hashes gauge, registered by the first hasher: a process that hashes nothing exports none. */
let gauge: { running: { value: number }; waiting: { value: number } } | undefined;
function passwordHashesGauge() {
  if (!gauge) {
    const { cells } = cellGauge({
      name: "password_hashes",
      help: "argon2id hashes and checks in this process: running, or waiting for a turn (PASSWORD_HASH_CONCURRENCY).",
      labelNames: ["state"] as const,
    });
    gauge = {
      running: cells.cell("running", () => ({ state: "running" })),
      waiting: cells.cell("waiting", () => ({ state: "waiting" })),
    };
  }
  return gauge;
}

export class PasswordHasher {
  private readonly limit: LimitFunction;
  private readonly counts = passwordHashesGauge();

  constructor(concurrency: number) {
    this.limit = pLimit(concurrency);
  }

  /** A new hash of `password`, with ARGON2's parameters. */
  hash(password: string, signal?: AbortSignal): Promise<string> {
    return this.run(() => Bun.password.hash(password, ARGON2), signal);
  }

  /** Whether `password` is the one `hash` was made from (its own parameters, whatever they are). */
  verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
    return this.run(() => Bun.password.verify(password, hash), signal);
  }

  /** Rejects with the signal's reason, without running, when the caller has gone by its turn. */
  private run<T>(operation: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const { running, waiting } = this.counts;
    waiting.value++;
    return this.limit(async () => {
      waiting.value--;
      signal?.throwIfAborted();
      running.value++;
      try {
        return await operation();
      } finally {
        running.value--;
      }
    });
  }
}
