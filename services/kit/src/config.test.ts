import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { ConfigError, env, parseConfig } from "./config";

const schema = z.object({ PORT: env.port(50051), TARGET: env.grpcTarget("localhost:1"), LOG_LEVEL: env.logLevel() });

describe("parseConfig", () => {
  test("applies defaults, treating empty variables as unset", () => {
    expect(parseConfig(schema, { PORT: "", UNRELATED: "x" })).toEqual({
      PORT: 50051,
      TARGET: "localhost:1",
      LOG_LEVEL: "info",
    });
  });

  test("coerces and freezes", () => {
    const config = parseConfig(schema, { PORT: "7000", TARGET: "dns:///users:50051" });
    expect(config.PORT).toBe(7000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test("names every bad variable at once, with the value it got", () => {
    let error: unknown;
    try {
      parseConfig(schema, { PORT: "seventy", TARGET: "not a target", LOG_LEVEL: "loud" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toStartWith("PORT: ");
    expect(problems[0]).toContain('got "seventy"');
    expect(problems[1]).toStartWith("TARGET: must be a gRPC target");
    expect(problems[2]).toStartWith("LOG_LEVEL: ");
  });

  test("never repeats the value of a secret", () => {
    const secrets = z.object({ JWT_SECRET_KEY: z.string().min(32), ADMIN_PASSWORD: z.string().min(12) });
    try {
      parseConfig(secrets, { JWT_SECRET_KEY: "hunter2", ADMIN_PASSWORD: "swordfish" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain("JWT_SECRET_KEY");
      expect(message).toContain("value hidden");
      expect(message).not.toContain("hunter2");
      expect(message).not.toContain("swordfish");
    }
  });

  test.each([
    "localhost:50051",
    "dns:///users:50051",
    "ipv4:127.0.0.1:1,127.0.0.1:2",
    "[::1]:50051",
    "unix:/tmp/s.sock",
  ])("accepts the gRPC target %s", (target) => {
    expect(parseConfig(schema, { TARGET: target }).TARGET).toBe(target);
  });

  test("refuses unix-abstract: targets, which nothing here resolves, naming the alternative", () => {
    for (const target of ["unix-abstract:users", "unix-abstract:5000"]) {
      expect(() => parseConfig(schema, { TARGET: target })).toThrow(/TARGET: .*unix:\/path/);
    }
  });
});
