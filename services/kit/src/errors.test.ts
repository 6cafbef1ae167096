import { describe, expect, test } from "bun:test";
import { type InvalidArgumentError, NotFoundError, Violations } from "./errors";

const violationsOf = (problems: Violations) => {
  try {
    problems.throwIfAny();
    return [];
  } catch (error) {
    return (error as InvalidArgumentError).violations;
  }
};

describe("Violations.collect", () => {
  test("a check that passes gives its value and adds nothing", () => {
    const problems = new Violations();
    expect(problems.collect(() => 42)).toBe(42);
    expect(violationsOf(problems)).toEqual([]);
  });

  test("a check's INVALID_ARGUMENT becomes this list's violations, named by `field`, beside the others", () => {
    const problems = new Violations().add("name", "must not be empty");
    const value = problems.collect(
      () => new Violations().add("kind", "bad").add("payload", "not JSON").throwIfAny(),
      (field) => `jobs.3.${field}`,
    );
    expect(value).toBeUndefined();
    expect(violationsOf(problems)).toEqual([
      { field: "name", message: "must not be empty" },
      { field: "jobs.3.kind", message: "bad" },
      { field: "jobs.3.payload", message: "not JSON" },
    ]);
  });

  test("any other error goes through", () => {
    expect(() =>
      new Violations().collect(() => {
        throw new NotFoundError("gone");
      }),
    ).toThrow(NotFoundError);
  });
});
