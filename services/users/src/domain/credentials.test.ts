// Passwords: the rules for a new one, and a login check that costs one argon2id
// verification whether or not the account exists (counted, not timed).
import { afterEach, describe, expect, spyOn, test } from "bun:test";
import { ARGON2, PasswordHasher, Violations } from "@platform/kit";
import {
  checkPassword,
  DUMMY_HASH,
  isPlausiblePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  Passwords,
} from "./credentials";

const passwords = new Passwords(new PasswordHasher(2));

const problemsOf = (password: string) => {
  const problems = new Violations();
  checkPassword(problems, "password", password);
  try {
    problems.throwIfAny();
    return [];
  } catch (error) {
    return String((error as Error).message ?? error);
  }
};

describe("checkPassword", () => {
  test("accepts lengths from the minimum to the maximum, counted in code points", () => {
    expect(problemsOf("a".repeat(PASSWORD_MIN_LENGTH))).toEqual([]);
    expect(problemsOf("a".repeat(PASSWORD_MAX_LENGTH))).toEqual([]);
    expect(problemsOf("😀".repeat(PASSWORD_MIN_LENGTH))).toEqual([]);
  });

  test("refuses a short or an overlong password, naming the bound and never the password", () => {
    const short = problemsOf("😀".repeat(PASSWORD_MIN_LENGTH - 1));
    expect(short).toContain(`at least ${PASSWORD_MIN_LENGTH}`);
    expect(short).not.toContain("😀");
    expect(problemsOf("a".repeat(PASSWORD_MAX_LENGTH + 1))).toContain(`at most ${PASSWORD_MAX_LENGTH}`);
  });
});

test("isPlausiblePassword: empty and overlong passwords cannot be ones we accepted", () => {
  expect(isPlausiblePassword("")).toBe(false);
  expect(isPlausiblePassword("x")).toBe(true);
  expect(isPlausiblePassword("a".repeat(PASSWORD_MAX_LENGTH + 1))).toBe(false);
});

describe("Passwords", () => {
  let verify: ReturnType<typeof spyOn<typeof Bun.password, "verify">> | undefined;
  afterEach(() => verify?.mockRestore());

  test("every check, account or not, runs exactly one verification and only the right password passes", async () => {
    const hash = await passwords.hash("the-real-password-0123");
    verify = spyOn(Bun.password, "verify");
    const cases: [string, string | undefined, boolean][] = [
      ["the-real-password-0123", hash, true],
      ["wrong-password-0123", hash, false],
      // No such email, or a user without a password: checked against the dummy hash.
      ["the-real-password-0123", undefined, false],
      ["wrong-password-0123", undefined, false],
    ];
    for (const [password, stored, valid] of cases) {
      const before = verify.mock.calls.length;
      expect(await passwords.verify(password, stored)).toBe(valid);
      expect(verify.mock.calls.length - before).toBe(1);
      // The miss verifies against a real argon2id hash, not a shortcut.
      expect(verify.mock.calls.at(-1)![1]).toStartWith("$argon2id$");
    }
  });
});

describe("DUMMY_HASH", () => {
  const parameters = (hash: string) => hash.split("$").slice(1, 4).join("$");

  test("has the parameters new hashes get, so a miss costs what a wrong password costs", async () => {
    expect(parameters(await passwords.hash("any-password-0123"))).toBe(parameters(DUMMY_HASH));
    expect(parameters(DUMMY_HASH)).toBe(`argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=1`);
  });

  test("matches none of the passwords one would try", async () => {
    for (const password of ["", "secret", "password", "admin", "0123456789"])
      expect(await Bun.password.verify(password, DUMMY_HASH)).toBe(false);
  });
});
