// PasswordHasher: real argon2id hashes and checks, at most `concurrency` in flight
// (counted around Bun.password, not timed), and a wait whose caller has gone never runs.
import { afterEach, describe, expect, test } from "bun:test";
import { ARGON2, PasswordHasher, passwordHashingConfigShape } from "./passwords";
import { countPasswordRuns, passwordHashesNow } from "./testing";

describe("PasswordHasher", () => {
  let restore = () => {};
  afterEach(() => restore());

  test("a process exports password_hashes once it has a hasher, and only then", () => {
    const exported = (script: string) => {
      const result = Bun.spawnSync(
        [process.execPath, "-e", `${script}; console.log(await metricsRegistry.metrics());`],
        { cwd: import.meta.dir, stdout: "pipe", stderr: "pipe" },
      );
      expect(result.stderr.toString()).toBe("");
      return result.stdout.toString().includes("password_hashes");
    };
    // The jobs and pipelines services load kit's index too, and hash nothing.
    expect(exported('import { metricsRegistry } from "./index"')).toBe(false);
    expect(exported('import { metricsRegistry, PasswordHasher } from "./index"; new PasswordHasher(1)')).toBe(true);
  });

  test("hashes with ARGON2's parameters, and checks passwords against them", async () => {
    const hasher = new PasswordHasher(2);
    const hash = await hasher.hash("correct-horse-battery");
    expect(hash).toStartWith(`$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=1$`);
    expect(await hasher.verify("correct-horse-battery", hash)).toBe(true);
    expect(await hasher.verify("wrong-horse-battery", hash)).toBe(false);
  });

  test("runs at most `concurrency` at once; the others wait their turn and all are answered", async () => {
    const hash = await Bun.password.hash("pw-0123456789", ARGON2);
    const inFlight = countPasswordRuns();
    restore = inFlight.restore;
    const hasher = new PasswordHasher(1);
    const checks = ["pw-0123456789", "nope-1", "nope-2", "pw-0123456789", "nope-3"].map((pw) =>
      hasher.verify(pw, hash),
    );
    // What an operator sees once the first has started: one running, four waiting their turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await passwordHashesNow()).toEqual({ running: 1, waiting: 4 });
    expect(await Promise.all(checks)).toEqual([true, false, false, true, false]);
    expect(inFlight.counts).toEqual({ now: 0, most: 1, started: 5 });
    expect(await passwordHashesNow()).toEqual({ running: 0, waiting: 0 });

    // Two at a time when asked for two: the bound is the setting, not the machine.
    const two = new PasswordHasher(2);
    inFlight.counts.most = 0;
    await Promise.all([1, 2, 3, 4].map((n) => two.hash(`pw-${n}-0123456789`)));
    expect(inFlight.counts.most).toBe(2);
  });

  test("a wait whose caller has gone ends with the signal's reason and runs nothing", async () => {
    const hash = await Bun.password.hash("pw-0123456789", ARGON2);
    const inFlight = countPasswordRuns();
    restore = inFlight.restore;
    const hasher = new PasswordHasher(1);
    const first = hasher.verify("pw-0123456789", hash);
    const gone = new AbortController();
    const abandoned = hasher.verify("pw-0123456789", hash, gone.signal);
    const next = hasher.hash("pw-0123456789");
    gone.abort();
    await expect(abandoned).rejects.toBe(gone.signal.reason);
    expect(await first).toBe(true);
    expect(await next).toStartWith("$argon2id$");
    expect(inFlight.counts.started).toBe(2);
    expect(await passwordHashesNow()).toEqual({ running: 0, waiting: 0 });
  });
});

test("PASSWORD_HASH_CONCURRENCY: 2 by default; a positive whole number up to 64", () => {
  const setting = passwordHashingConfigShape.PASSWORD_HASH_CONCURRENCY;
  expect(setting.parse(undefined)).toBe(2);
  expect(setting.parse("1")).toBe(1);
  for (const bad of ["0", "-1", "1.5", "65", "many"]) expect(setting.safeParse(bad).success).toBe(false);
});
