// The user's pure rules: what a valid new user is (name, email, roles, password)
// and the one spelling of a set of roles.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { InvalidArgumentError, NAME_MAX_LENGTH } from "@platform/kit";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./credentials";
import { DEFAULT_ROLES, EMAIL_MAX_LENGTH, normalizeRoles, ROLES, validateNewUser, type NewUser } from "./user";

const input: NewUser = { name: "Ann", email: "ann@example.com" };

/** The violations validateNewUser reports, as "field: message"; [] when it passes. */
function violationsOf(overrides: Partial<NewUser>): string[] {
  try {
    validateNewUser({ ...input, ...overrides });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((v) => `${v.field}: ${v.message}`);
  }
}

const fieldsOf = (overrides: Partial<NewUser>) => violationsOf(overrides).map((v) => v.split(":")[0]);

describe("validateNewUser", () => {
  test("name and email are trimmed, roles default, id and password are passed on", () => {
    expect(
      validateNewUser({ id: 12, name: "  Ann Lee ", email: "\tann@example.com  ", password: "correct horse battery" }),
    ).toEqual({
      id: 12,
      name: "Ann Lee",
      email: "ann@example.com",
      roles: [...DEFAULT_ROLES],
      password: "correct horse battery",
    });
    expect(DEFAULT_ROLES).toEqual(["user"]);
  });

  test("the name: not empty, not too long, no control characters", () => {
    expect(violationsOf({ name: " " })).toEqual(["name: must not be empty"]);
    expect(violationsOf({ name: "x".repeat(NAME_MAX_LENGTH) })).toEqual([]);
    expect(violationsOf({ name: "x".repeat(NAME_MAX_LENGTH + 1) })).toEqual([
      `name: must be at most ${NAME_MAX_LENGTH} characters`,
    ]);
    expect(violationsOf({ name: "A\nB" })).toEqual(["name: must not contain control characters"]);
  });

  test("the email keeps its case (uniqueness is case-insensitive in the store)", () => {
    expect(validateNewUser({ ...input, email: " Ann.Lee@Example.COM " }).email).toBe("Ann.Lee@Example.COM");
  });

  test("the email: one @, no spaces, a dotted domain", () => {
    for (const good of [
      "a@b.co",
      "first.last+tag@sub.example.co.uk",
      "o'hara@example.ie",
      "user@xn--bcher-kva.example",
      "jürgen@bücher.de",
    ]) {
      expect(violationsOf({ email: good })).toEqual([]);
    }
    for (const bad of [
      "plain",
      "a@b",
      "@b.co",
      "a@",
      "a@@b.co",
      "a@b@c.co",
      "a b@c.co",
      "a@b c.co",
      "a@.b.co",
      "a@b.co.",
      "a@b..co",
      "a@b.co\u00a0x",
    ]) {
      expect(violationsOf({ email: bad })).toEqual(["email: must be a valid email address"]);
    }
  });

  test(`the email: not empty, at most ${EMAIL_MAX_LENGTH} characters after trimming`, () => {
    expect(violationsOf({ email: "   " })).toEqual(["email: must not be empty"]);
    const atLength = (length: number) => `${"a".repeat(length - "@example.com".length)}@example.com`;
    expect(violationsOf({ email: ` ${atLength(EMAIL_MAX_LENGTH)} ` })).toEqual([]);
    expect(violationsOf({ email: atLength(EMAIL_MAX_LENGTH + 1) })).toEqual([
      `email: must be at most ${EMAIL_MAX_LENGTH} characters`,
    ]);
  });

  test("the email: no control characters (PostgreSQL refuses NUL in text)", () => {
    for (const bad of ["a\u0000b@example.com", "a@exa\u0001mple.com", "a\u007f@example.com", "a@example.co\u0085m"]) {
      expect(violationsOf({ email: bad })).toEqual(["email: must be a valid email address"]);
    }
  });

  test("roles: absent or empty is the default; admin, user and worker are accepted, sorted, without duplicates", () => {
    expect(validateNewUser({ ...input, roles: [] }).roles).toEqual(["user"]);
    expect(validateNewUser({ ...input, roles: ["worker"] }).roles).toEqual(["worker"]);
    expect(validateNewUser({ ...input, roles: ["worker", "admin", "worker", "user", "admin"] }).roles).toEqual([
      "admin",
      "user",
      "worker",
    ]);
  });

  test("roles: any other value is refused, even beside a valid one, naming the allowed roles", () => {
    for (const roles of [["root"], ["Admin"], [" user"], [""], ["user", "superuser"]]) {
      expect(violationsOf({ roles })).toEqual([`roles: must each be one of ${ROLES.join(", ")}`]);
    }
  });

  test("the password is optional; when given, its length is checked", () => {
    expect(validateNewUser(input)).not.toHaveProperty("password");
    expect(violationsOf({ password: "x".repeat(PASSWORD_MIN_LENGTH) })).toEqual([]);
    expect(fieldsOf({ password: "x".repeat(PASSWORD_MIN_LENGTH - 1) })).toEqual(["password"]);
    expect(fieldsOf({ password: "" })).toEqual(["password"]);
    expect(fieldsOf({ password: "x".repeat(PASSWORD_MAX_LENGTH + 1) })).toEqual(["password"]);
  });

  test("every problem is reported at once", () => {
    expect(fieldsOf({ name: "", email: "nope", roles: ["root"], password: "x" })).toEqual([
      "name",
      "email",
      "password",
      "roles",
    ]);
  });
});

test("property: normalizeRoles gives each role once, in ROLES order, and is idempotent", () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ROLES), { maxLength: 10 }), (roles) => {
      const normal = normalizeRoles(roles);
      expect(normal).toEqual(ROLES.filter((role) => roles.includes(role)));
      expect(new Set(normal).size).toBe(normal.length);
      expect(normalizeRoles(normal)).toEqual(normal);
      expect(normalizeRoles([...roles].reverse())).toEqual(normal);
    }),
  );
});
