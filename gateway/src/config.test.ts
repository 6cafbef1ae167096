import { describe, expect, test } from "bun:test";
import { ConfigError } from "@platform/kit";
import { loadGatewayConfig } from "./config";

describe("gateway configuration", () => {
  test("the seed's variables, with the seed's defaults", () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      PORT: 8000,
      JWT_ALGORITHM: "HS256",
      JWT_EXPIRE_MINUTES: 30,
      USER_SERVICE_URL: "localhost:50051",
      JOBS_SERVICE_URL: "localhost:50052",
      PIPELINE_SERVICE_URL: "localhost:50053",
    });
  });

  test("reads the seed's variables as given", () => {
    const config = loadGatewayConfig({
      JWT_SECRET_KEY: "your-secret-key-here",
      JWT_ALGORITHM: "HS512",
      JWT_EXPIRE_MINUTES: "5",
      USER_SERVICE_URL: "dns:///users:50051",
    });
    expect(config).toMatchObject({
      JWT_SECRET_KEY: "your-secret-key-here",
      JWT_ALGORITHM: "HS512",
      JWT_EXPIRE_MINUTES: 5,
      USER_SERVICE_URL: "dns:///users:50051",
    });
  });

  test("an unsupported JWT_ALGORITHM fails at start, naming the variable and the choices", () => {
    expect(() => loadGatewayConfig({ JWT_ALGORITHM: "RS256" })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ JWT_ALGORITHM: "none" })).toThrow(
      /JWT_ALGORITHM: must be one of HS256, HS384, HS512 \(got "none"\)/,
    );
  });

  describe("production mode refuses development secrets", () => {
    const strong = { JWT_SECRET_KEY: "k".repeat(32), ADMIN_PASSWORD: "a-real-password" };

    test.each([
      ["NODE_ENV=production", { NODE_ENV: "production" }],
      ["REQUIRE_STRONG_SECRETS=true", { REQUIRE_STRONG_SECRETS: "true" }],
    ])("%s: the defaults, a short secret, the default password", (_, mode) => {
      expect(() => loadGatewayConfig(mode)).toThrow(
        /JWT_SECRET_KEY: must be set in production[\s\S]*ADMIN_PASSWORD: must be set in production/,
      );
      expect(() => loadGatewayConfig({ ...mode, ...strong, JWT_SECRET_KEY: "short-secret" })).toThrow(
        /JWT_SECRET_KEY: must be at least 32 bytes/,
      );
      expect(() => loadGatewayConfig({ ...mode, ...strong, ADMIN_PASSWORD: "secret" })).toThrow(/ADMIN_PASSWORD/);
      expect(loadGatewayConfig({ ...mode, ...strong }).JWT_SECRET_KEY).toBe(strong.JWT_SECRET_KEY);
    });

    test("outside production the development defaults are fine, and REQUIRE_STRONG_SECRETS=false overrides NODE_ENV", () => {
      expect(loadGatewayConfig({}).ADMIN_PASSWORD).toBe("secret");
      expect(loadGatewayConfig({ NODE_ENV: "production", REQUIRE_STRONG_SECRETS: "false" }).ADMIN_PASSWORD).toBe(
        "secret",
      );
    });
  });

  test("every bad value is listed at once", () => {
    try {
      loadGatewayConfig({ JWT_EXPIRE_MINUTES: "0", USER_SERVICE_URL: "http://users", PORT: "99999" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toContain("JWT_EXPIRE_MINUTES");
      expect(problems).toContain("USER_SERVICE_URL");
      expect(problems).toContain("PORT");
    }
  });
});
